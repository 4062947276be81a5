import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardAPI
import SwitchboardClient
import SwitchboardCore
import SwitchboardSQLite

/// A real Switchboard API on a loopback port over a SQLite file in a temporary directory,
/// with keys of each scope, for the client to talk to over TCP.
struct LiveServer: Sendable {
    let switchboard: Switchboard
    let baseURL: String
    let adminKey: String
    let readKey: String

    /// 32 bytes is a valid master key; the store is thrown away with the test.
    static let testSealer = SecretSealer(keyring: MasterKeyring(current: try! MasterKey(bytes: Data(repeating: 7, count: 32))), origin: "the tests' key")

    static let quietLogger: Logger = {
        var logger = Logger(label: "switchboard-client-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs `body` against a fresh server; stops it and deletes its files afterwards.
    static func with<T: Sendable>(_ body: @Sendable (LiveServer) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-client-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("client.sqlite").path, synchronous: .normal, sealer: testSealer, logger: quietLogger)
        let switchboard = Switchboard(store: store, configuration: DispatcherConfiguration(), logger: quietLogger)
        let admin = try await switchboard.createAPIKey(name: "admin", tenant: .defaultTenant, scopes: [.admin]).secret.reveal()
        let reader = try await switchboard.createAPIKey(name: "reader", tenant: .defaultTenant, scopes: [.read]).secret.reveal()
        let options = APIOptions(host: "127.0.0.1", port: 0, streamKeepAliveInterval: .milliseconds(200))
        let app = buildApplication(switchboard: switchboard, options: options, logger: quietLogger)
        return try await app.test(.live) { client in
            let server = LiveServer(switchboard: switchboard, baseURL: "http://127.0.0.1:\(client.port ?? 0)", adminKey: admin, readKey: reader)
            return try await body(server)
        }
    }

    /// A client of this server with `key` (the admin key by default).
    func client(key: String? = nil) throws -> SwitchboardClient {
        try SwitchboardClient(baseURL: baseURL, key: key ?? adminKey)
    }

    /// Creates an endpoint of the default tenant.
    func endpoint(_ name: String) async throws -> Endpoint {
        try await switchboard.createEndpoint(
            EndpointDraft(name: name, url: "https://\(name).example/hooks"), tenant: .defaultTenant)
    }
}
