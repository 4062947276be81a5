import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
import SwitchboardSQLite

/// `switchboard secrets rotate-key`: manage the master key that seals secrets at rest.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Manage the master key that seals secrets in the database (works while the server runs).",
        subcommands: [RotateKey.self])

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Seal every secret under a new master key, in one transaction.",
            discussion: """
                Adds a new key to the master key file (secrets.master_key_file, default \
                <data dir>/master.key) as its current key, keeping the previous keys below it for \
                reading, and re-seals every secret in the database under it in one transaction. \
                A running server re-reads the key file when it meets the new key id, and before \
                each write of a secret, so it keeps working without a restart. Back the key file \
                up again afterwards.
                """)

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let settings = try await AppSettings.load(options)
            let logger = Logger(label: "switchboard.secrets")
            let file = try MasterKeySetup.rotatableFile(for: settings)
            let previous: MasterKeyring
            do {
                previous = try file.read()
            } catch {
                throw SettingsError(error.description)
            }
            let store = try SQLiteStore(path: settings.databasePath, synchronous: .full, sealer: file.sealer(keyring: previous), logger: logger)
            let rotated = previous.rotated(to: .generate())
            let count = try await store.resealSecrets(under: rotated, publish: { try file.write(rotated) })
            print("New master key \(rotated.current.id) written to \(file.path); re-sealed \(count) values under it.")
            print("Previous keys kept in the file for reading: \(rotated.older.map(\.id).joined(separator: ", ")).")
            print("Back up the key file again: the database's secrets can no longer be read without the new key.")
        }
    }
}
