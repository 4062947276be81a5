import Foundation

/// The master keys Switchboard knows: the current one seals, every one unseals.
///
/// Older keys stay after a rotation so that a value sealed under one of them (by a server that
/// had not yet noticed the rotation) can still be read.
///
/// The text form, as a key file holds it: one base64 key per line, the current key first;
/// blank lines and lines starting with `#` are ignored. A file made with
/// `openssl rand -base64 32 > master.key` is a valid one-key keyring.
public struct MasterKeyring: Sendable, CustomStringConvertible {
    /// The key new values are sealed with.
    public let current: MasterKey
    /// Keys kept for reading values sealed before a rotation, newest first.
    public let older: [MasterKey]

    public init(current: MasterKey, older: [MasterKey] = []) {
        self.current = current
        self.older = older.filter { $0.id != current.id }
    }

    /// Every key, the current one first.
    public var keys: [MasterKey] { [current] + older }

    /// The ids of every key, the current one first.
    public var keyIDs: [String] { keys.map(\.id) }

    /// The key with this id, if the keyring has it.
    public func key(id: String) -> MasterKey? { keys.first { $0.id == id } }

    /// This keyring with `key` as the current key and the present keys kept for reading.
    public func rotated(to key: MasterKey) -> MasterKeyring {
        MasterKeyring(current: key, older: keys)
    }

    /// Parses the text of a key file.
    public init(fileText text: String) throws(SecretSealerError) {
        var keys: [MasterKey] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            do {
                keys.append(try MasterKey(base64: trimmed))
            } catch {
                throw .invalidKeyring("line \(number + 1): \(error.description)")
            }
        }
        guard let first = keys.first else { throw .invalidKeyring("it holds no key") }
        self.init(current: first, older: Array(keys.dropFirst()))
    }

    /// The text of a key file holding this keyring. Call only to write the key file.
    public func revealFileText() -> String {
        var text = """
            # Switchboard master keys: the first one seals, every one unseals. Keep this file with
            # the database's backups, and private (mode 0600): without it no secret can be read.

            """
        for key in keys {
            text += "# \(key.id)\(key.id == current.id ? " (current)" : "")\n\(key.revealBase64())\n"
        }
        return text
    }

    public var description: String { "keyring of \(keyIDs.joined(separator: ", ")) (current \(current.id))" }
}
