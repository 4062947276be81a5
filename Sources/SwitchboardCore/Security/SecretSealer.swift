import Crypto
import Foundation
import Synchronization

/// Seals secrets for storage with AES-256-GCM under a ``MasterKeyring``, and opens them again.
///
/// A sealed value is the text `sb1:<key id>:<base64(nonce | ciphertext | tag)>`: a fresh random
/// 96-bit nonce per value, and the prefix `sb1:<key id>` authenticated with it, so the key id
/// cannot be swapped without the tag failing. Text without the `sb1:` prefix is a legacy
/// plaintext value, written before secrets were sealed.
///
/// Opening never returns garbage: an unknown key id or a failed tag throws a
/// ``SecretSealerError``. When the keyring was loaded from a file, the sealer re-reads it when it
/// meets an unknown key id, and before each seal, so a running server follows
/// `switchboard secrets rotate-key` without a restart.
public final class SecretSealer: Sendable {
    /// The prefix of every sealed value.
    public static let prefix = "sb1:"

    private let state: Mutex<MasterKeyring>
    private let reload: (@Sendable () throws -> MasterKeyring)?
    /// Where the keys came from, for error messages: `SWITCHBOARD_MASTER_KEY`, a file's path…
    public let origin: String

    /// - Parameters:
    ///   - keyring: The keys to start with.
    ///   - origin: Where they came from, worded for an operator.
    ///   - reload: Reads the keyring again (from its file); `nil` when it cannot change.
    public init(keyring: MasterKeyring, origin: String, reload: (@Sendable () throws -> MasterKeyring)? = nil) {
        state = Mutex(keyring)
        self.origin = origin
        self.reload = reload
    }

    /// The keys in use now.
    public var keyring: MasterKeyring { state.withLock { $0 } }

    /// Whether `stored` is a sealed value rather than legacy plaintext.
    public static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    /// The id of the key `stored` was sealed with; `nil` for plaintext or a malformed value.
    public static func keyID(of stored: String) -> String? {
        guard isSealed(stored) else { return nil }
        let parts = stored.dropFirst(prefix.count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        return String(parts[0])
    }

    /// `plaintext` sealed under the current key (after re-reading the keyring when it has a file).
    public func seal(_ plaintext: String) throws(SecretSealerError) -> String {
        refreshKeyring()
        return try Self.seal(plaintext, with: keyring.current)
    }

    /// `plaintext` sealed under `key`.
    public static func seal(_ plaintext: String, with key: MasterKey) throws(SecretSealerError) -> String {
        let header = prefix + key.id
        do {
            let box = try AES.GCM.seal(Data(plaintext.utf8), using: key.key, nonce: AES.GCM.Nonce(), authenticating: Data(header.utf8))
            guard let combined = box.combined else { throw SecretSealerError.invalidKey("AES-GCM gave no combined form") }
            return header + ":" + combined.base64EncodedString()
        } catch let error as SecretSealerError {
            throw error
        } catch {
            throw .invalidKey("AES-GCM refused to seal: \(error)")
        }
    }

    /// The plaintext of `stored`: opened when sealed, as it is when legacy plaintext.
    ///
    /// - Throws: ``SecretSealerError/unknownKey(keyID:knownKeyIDs:origin:)`` when no key of the
    ///   keyring (re-read once) has its id, ``SecretSealerError/tampered(keyID:)`` when the tag
    ///   fails, ``SecretSealerError/malformed`` when it is not `sb1:<key id>:<base64>`.
    public func unseal(_ stored: String) throws(SecretSealerError) -> String {
        guard Self.isSealed(stored) else { return stored }
        guard let keyID = Self.keyID(of: stored) else { throw .malformed }
        var key = keyring.key(id: keyID)
        if key == nil {
            refreshKeyring()
            key = keyring.key(id: keyID)
        }
        guard let key else { throw .unknownKey(keyID: keyID, knownKeyIDs: keyring.keyIDs, origin: origin) }
        return try Self.unseal(stored, with: key)
    }

    /// The plaintext of `stored`, sealed under `key`.
    public static func unseal(_ stored: String, with key: MasterKey) throws(SecretSealerError) -> String {
        let header = prefix + key.id
        guard stored.hasPrefix(header + ":"), let combined = Data(base64Encoded: String(stored.dropFirst(header.count + 1))) else {
            throw .malformed
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plaintext = try AES.GCM.open(box, using: key.key, authenticating: Data(header.utf8))
            guard let text = String(data: plaintext, encoding: .utf8) else { throw SecretSealerError.tampered(keyID: key.id) }
            return text
        } catch {
            throw .tampered(keyID: key.id)
        }
    }

    /// Re-reads the keyring from its file, keeping the present one when that fails (a key file
    /// being replaced, or gone): values it sealed stay readable by it.
    public func refreshKeyring() {
        guard let reload, let fresh = try? reload() else { return }
        state.withLock { $0 = fresh }
    }
}
