import Crypto
import Foundation

/// A 256-bit AES key that seals secrets at rest, with the id stored beside every value it seals.
///
/// The id is the first 8 hex characters of the key's SHA-256: enough to tell keys apart in a
/// keyring and in error messages, and nothing about the key itself. ``description`` shows only
/// the id.
public struct MasterKey: Sendable, CustomStringConvertible {
    /// Bytes in a master key.
    public static let byteCount = 32

    /// 8 lowercase hex characters identifying the key.
    public let id: String
    let key: SymmetricKey

    /// A key from its 32 raw bytes.
    public init(bytes: Data) throws(SecretSealerError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidKey("it must be \(Self.byteCount) bytes, got \(bytes.count)")
        }
        key = SymmetricKey(data: bytes)
        id = String(SHA256.hash(data: bytes).hexEncoded.prefix(8))
    }

    /// A key from the base64 of its 32 bytes, surrounding whitespace ignored.
    public init(base64: String) throws(SecretSealerError) {
        guard let bytes = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .invalidKey("it must be the base64 of \(Self.byteCount) random bytes (openssl rand -base64 32)")
        }
        try self.init(bytes: bytes)
    }

    /// A new key from the system's secure random generator.
    public static func generate() -> MasterKey {
        // 32 bytes is always a valid key size.
        try! MasterKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// The base64 of the key's bytes, as key files hold it. Call only to write a key file.
    public func revealBase64() -> String {
        key.withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    public var description: String { "master key \(id)" }
}
