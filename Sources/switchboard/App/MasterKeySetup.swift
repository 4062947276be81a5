import Foundation
import Logging
import SwitchboardCore

/// Finds the master key that seals secrets at rest.
///
/// In order: `SWITCHBOARD_MASTER_KEY` (the base64 of 32 bytes), then the file
/// `secrets.master_key_file`, then `<data dir>/master.key`, which is created (mode 0600, one
/// new key) on first start, saying so once in the log.
enum MasterKeySetup {
    /// The sealer for `settings`' master key; throws a ``SettingsError`` worded for the operator.
    static func sealer(for settings: AppSettings, logger: Logger) throws -> SecretSealer {
        if let encoded = settings.masterKeyFromEnvironment {
            do {
                let key = try MasterKey(base64: encoded.reveal())
                return SecretSealer(keyring: MasterKeyring(current: key), origin: "SWITCHBOARD_MASTER_KEY")
            } catch {
                throw SettingsError("SWITCHBOARD_MASTER_KEY must be the base64 of 32 random bytes (openssl rand -base64 32): \(error)")
            }
        }
        let file = MasterKeyFile(path: settings.resolvedMasterKeyFile)
        do {
            if file.exists {
                warnIfShared(file, logger: logger)
                return file.sealer(keyring: try file.read())
            }
            guard settings.masterKeyFile == nil else {
                throw SettingsError(
                    "secrets.master_key_file \(file.path) does not exist; create it with: (umask 077; openssl rand -base64 32 > \(file.path))")
            }
            let keyring = try file.create()
            logger.notice(
                "created a new master key file; back it up together with the database: without it no secret in the database can be read",
                metadata: ["path": "\(file.path)", "key_id": "\(keyring.current.id)"])
            return file.sealer(keyring: keyring, created: true)
        } catch let error as SecretSealerError {
            throw SettingsError(error.description)
        }
    }

    /// The key file the `secrets rotate-key` command rewrites; refuses a key given through
    /// the environment, which no command can change.
    static func rotatableFile(for settings: AppSettings) throws -> MasterKeyFile {
        guard settings.masterKeyFromEnvironment == nil else {
            throw SettingsError(
                "the master key comes from SWITCHBOARD_MASTER_KEY, which this command cannot change; "
                    + "move it to a key file (secrets.master_key_file) to rotate it, or unset the variable")
        }
        let file = MasterKeyFile(path: settings.resolvedMasterKeyFile)
        guard file.exists else { throw SettingsError("no master key file at \(file.path); start switchboard once to create it") }
        return file
    }

    private static func warnIfShared(_ file: MasterKeyFile, logger: Logger) {
        let mode = (try? FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int) ?? 0
        if mode & 0o077 != 0 {
            logger.warning(
                "the master key file is readable by other users; make it private: chmod 600", metadata: ["path": "\(file.path)"])
        }
    }
}
