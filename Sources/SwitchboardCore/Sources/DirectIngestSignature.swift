import Crypto
import Foundation

/// The signature of direct signed ingest (`POST /e/{endpoint_id}`):
/// `X-Switchboard-Signature` = hex HMAC-SHA256 of `"<timestamp>.<body>"` keyed with the
/// endpoint's secret (its full `whsec_…` text as UTF-8), `X-Switchboard-Timestamp` in unix
/// seconds within a 5-minute tolerance.
public enum DirectIngestSignature {
    /// The hex signature a sender computes.
    public static func sign(timestamp: Int, body: Data, secret: Secret) -> String {
        var signed = Data("\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.reveal().utf8)))
        return mac.hexEncoded
    }

    /// Checks a request against every secret in force (the previous one during a rotation's grace).
    public static func verify(
        signature: String?, timestamp: String?, body: Data, secrets: [Secret], now: Date, tolerance: TimeInterval = 300
    ) throws(InboundVerifier.Failure) {
        guard let signature, let timestamp else { throw .init(reason: "missing X-Switchboard-Signature or X-Switchboard-Timestamp header") }
        guard let seconds = Int(timestamp) else { throw .init(reason: "malformed X-Switchboard-Timestamp header") }
        guard abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance else {
            throw .init(reason: "X-Switchboard-Timestamp is outside the \(Int(tolerance)) s tolerance")
        }
        guard let presented = Data(hex: signature.lowercased()) else { throw .init(reason: "malformed X-Switchboard-Signature header: not hex") }
        var signed = Data("\(seconds).".utf8)
        signed.append(body)
        guard secrets.contains(where: { InboundVerifier.isValid(presented, over: signed, key: Data($0.reveal().utf8)) }) else {
            throw .init(reason: "signature does not match (wrong secret or altered body)")
        }
    }
}
