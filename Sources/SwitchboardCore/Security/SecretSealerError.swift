/// Why a master key, a keyring or a sealed value could not be used, worded for the operator.
///
/// Messages name key ids, never key bytes or secret values.
public enum SecretSealerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A master key that is not 32 bytes of base64.
    case invalidKey(String)
    /// A key file that holds no usable key.
    case invalidKeyring(String)
    /// A value sealed under a master key the keyring does not have.
    case unknownKey(keyID: String, knownKeyIDs: [String], origin: String)
    /// A sealed value whose authentication tag does not match: altered, truncated, or sealed
    /// under another key with the same id.
    case tampered(keyID: String)
    /// A stored value that starts like a sealed one but is not `sb1:<key id>:<base64>`.
    case malformed

    public var description: String {
        switch self {
        case .invalidKey(let reason): return "invalid master key: \(reason)"
        case .invalidKeyring(let reason): return "invalid master key file: \(reason)"
        case .unknownKey(let keyID, let known, let origin):
            let given = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "the database's secrets are sealed with master key \(keyID), but the key given (\(origin)) has key id \(given); "
                + "start with the master key the database was sealed with (back it up with the database)"
        case .tampered(let keyID):
            return "a secret sealed with master key \(keyID) failed authentication: the database value was altered or the key is wrong"
        case .malformed:
            return "a sealed secret is not in the form sb1:<key id>:<base64>; the database value is damaged"
        }
    }
}
