import ArgumentParser
import Foundation
import Logging
import SwitchboardPostgres

/// `switchboard migrate`: applies the PostgreSQL store's pending migrations and exits, for
/// deploy pipelines. Nodes migrate at start too (once across nodes, under an advisory lock).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the PostgreSQL store's schema migrations, then exit.",
        discussion: "Needs store.url (--store-url or SWITCHBOARD_STORE_URL). SQLite stores migrate when they are opened.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let settings = try await AppSettings.load(options)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        guard let postgres = settings.postgres else {
            throw ValidationError("migrate needs a PostgreSQL store: --store-url postgres://USER:PASSWORD@HOST/DB (or SWITCHBOARD_STORE_URL)")
        }
        let applied = try await PostgresStore.migrate(configuration: postgres.configuration, logger: Logger(label: "switchboard"))
        let target = postgres.configuration.redactedURL
        print(applied.isEmpty ? "\(target) is up to date" : "applied \(applied.joined(separator: ", ")) to \(target)")
    }
}
