import Crypto
import Foundation

/// Standard Webhooks signing: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
///
/// Secrets are `whsec_` followed by the base64 of the key bytes, as the spec describes.
public enum WebhookSigner {
    /// The prefix of every endpoint secret.
    public static let secretPrefix = "whsec_"

    /// A new secret: `whsec_` + base64 of 32 random bytes.
    public static func generateSecret() -> Secret {
        let key = SymmetricKey(size: .bits256)
        let base64 = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return Secret(secretPrefix + base64)
    }

    /// The HMAC key bytes of a `whsec_` secret; other secrets are used as UTF-8 bytes.
    public static func keyBytes(of secret: Secret) -> Data {
        let value = secret.reveal()
        if value.hasPrefix(secretPrefix), let decoded = Data(base64Encoded: String(value.dropFirst(secretPrefix.count))) {
            return decoded
        }
        return Data(value.utf8)
    }

    /// One `v1,<signature>` entry.
    public static func signature(messageID: String, timestamp: Int, body: Data, secret: Secret) -> String {
        var signed = Data("\(messageID).\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: keyBytes(of: secret)))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The `webhook-signature` header value: one entry per secret, space-separated.
    public static func signatureHeader(messageID: String, timestamp: Int, body: Data, secrets: [Secret]) -> String {
        secrets.map { signature(messageID: messageID, timestamp: timestamp, body: body, secret: $0) }
            .joined(separator: " ")
    }
}
