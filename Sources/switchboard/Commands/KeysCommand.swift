import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite

/// `switchboard keys create|list|revoke`: manage API keys directly in the data directory.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys in the data directory (works while the server runs).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key and print it once.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "A name to recognise the key by.") var name: String
        @Option(help: "Tenant the key belongs to.") var tenant: String = TenantID.defaultTenant
        @Option(help: "Comma-separated scopes: read, write, admin (write implies read).") var scopes: String = "read,write"
        @Flag(help: "Print only the key, for scripts: KEY=$(switchboard keys create --name ci --quiet)") var quiet = false

        func run() async throws {
            let parsed = try KeysCommand.parseScopes(scopes)
            let switchboard = try await KeysCommand.openSwitchboard(options)
            let (key, secret) = try await switchboard.createAPIKey(name: name, tenant: tenant, scopes: parsed)
            if quiet {
                print(secret.reveal())
            } else {
                print("Created \(key.id) (tenant \(key.tenantID), scopes \(key.scopes.sorted().map(\.rawValue).joined(separator: ","))).")
                print("The key is shown only this once:\n\n    \(secret.reveal())\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys of every tenant (never the keys themselves).")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let switchboard = try await KeysCommand.openSwitchboard(options)
            let keys = try await switchboard.apiKeys(tenant: nil)
            if keys.isEmpty { print("No API keys."); return }
            print("ID".padding(32), "PREFIX".padding(10), "TENANT".padding(14), "SCOPES".padding(18), "STATE".padding(8), "NAME")
            for key in keys {
                print(
                    key.id.padding(32), key.keyPrefix.padding(10), key.tenantID.padding(14),
                    key.scopes.sorted().map(\.rawValue).joined(separator: ",").padding(18),
                    (key.revokedAt == nil ? "active" : "revoked").padding(8), key.name)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key at once.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The key id (key_…), as `keys list` shows it.") var id: String

        func run() async throws {
            let switchboard = try await KeysCommand.openSwitchboard(options)
            try await switchboard.revokeAPIKey(id: id, tenant: nil)
            print("Revoked \(id).")
        }
    }

    static func parseScopes(_ text: String) throws -> Set<APIKey.Scope> {
        var scopes = Set<APIKey.Scope>()
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            guard let scope = APIKey.Scope(rawValue: part) else {
                throw ValidationError("unknown scope '\(part)'; use read, write or admin")
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw ValidationError("give at least one scope: read, write or admin") }
        return scopes
    }

    static func openSwitchboard(_ options: GlobalOptions) async throws -> Switchboard {
        let settings = try await AppSettings.load(options)
        let logger = Logger(label: "switchboard.keys")
        try DataDirectory.prepare(settings.dataDirectory, logger: logger)
        let sealer = try MasterKeySetup.sealer(for: settings, logger: logger)
        let store: any Store
        if let postgres = settings.postgres {
            store = try await PostgresStore(configuration: postgres.configuration, sealer: sealer, logger: logger)
        } else {
            store = try SQLiteStore(path: settings.databasePath, synchronous: .full, sealer: sealer, logger: logger)
        }
        return Switchboard(store: store, configuration: settings.dispatcher, logger: logger)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
