import Foundation
import Logging
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite

/// The store a command opens without running the dispatcher (keys, export, import): the
/// data directory's SQLite file, or the PostgreSQL database of `store.url`, with the secrets
/// sealed under its master key.
enum OfflineStore {
    static func open(_ settings: AppSettings, logger: Logger) async throws -> any Store {
        try DataDirectory.prepare(settings.dataDirectory, logger: logger)
        let sealer = try MasterKeySetup.sealer(for: settings, logger: logger)
        if let postgres = settings.postgres {
            do {
                return try await PostgresStore(configuration: postgres.configuration, sealer: sealer, notify: postgres.notify, logger: logger)
            } catch {
                throw SettingsError("cannot open the store at \(postgres.configuration.redactedURL): \(error)")
            }
        }
        do {
            return try SQLiteStore(path: settings.databasePath, synchronous: .full, sealer: sealer, logger: logger)
        } catch {
            throw SettingsError("cannot open the store at \(settings.databasePath): \(error)")
        }
    }

    /// Where the store is, for messages.
    static func describe(_ settings: AppSettings) -> String { settings.storeDescription }
}
