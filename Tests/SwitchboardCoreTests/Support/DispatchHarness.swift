import Foundation
import Logging
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardTransport

/// A dispatcher core on a real SQLite file in a temporary directory, a manual clock and a
/// real delivery engine sending to a real receiver on loopback.
struct DispatchHarness: Sendable {
    let store: SQLiteStore
    let clock: ManualWallClock
    let switchboard: Switchboard
    let receiver: TestReceiver
    let databasePath: String

    static let testing = DispatcherConfiguration(
        retryPolicy: RetryPolicy(schedule: [0, 5, 300], jitter: 0), connectTimeout: 1, requestTimeout: 2,
        maxConcurrency: 16, endpointConcurrency: 4, claimBatchSize: 16, pollInterval: 0.02, drainTimeout: 1,
        destinations: .development)

    /// Runs `body` with the dispatcher running; stops it afterwards and deletes the database.
    static func with<T: Sendable>(
        configuration: DispatcherConfiguration = testing, databasePath: String? = nil, receiver existing: TestReceiver? = nil,
        transport scripted: (any DeliveryTransport)? = nil, _ body: @escaping @Sendable (DispatchHarness) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-core-\(UUID().uuidString)")
        let path = databasePath ?? directory.appendingPathComponent("switchboard.sqlite").path
        defer { if databasePath == nil { try? FileManager.default.removeItem(at: directory) } }
        let logger = {
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            return logger
        }()
        let store = try SQLiteStore(path: path, logger: logger)
        let clock = ManualWallClock()
        let switchboard = Switchboard(store: store, configuration: configuration, clock: clock, logger: logger)
        let run: @Sendable (TestReceiver) async throws -> T = { receiver in
            let client = scripted ?? HTTPDeliveryTransport(
                configuration: TransportConfiguration(connectTimeout: configuration.connectTimeout),
                addressGuard: configuration.destinations.network)
            let dispatcher = DeliveryDispatcher(switchboard: switchboard, transport: client, logger: logger)
            let harness = DispatchHarness(store: store, clock: clock, switchboard: switchboard, receiver: receiver, databasePath: path)
            let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await dispatcher.run() }
                defer { group.cancelAll() }
                do { return .success(try await body(harness)) } catch { return .failure(error) }
            }
            await client.shutdown()
            return try result.get()
        }
        if let existing { return try await run(existing) }
        return try await TestReceiver.with(run)
    }

    /// Creates a signature endpoint on the receiver's `path`.
    func endpoint(_ path: String, types: [String] = [], auth: Endpoint.AuthMode = .signature, maxConcurrency: Int? = nil) async throws -> Endpoint {
        try await switchboard.createEndpoint(
            EndpointDraft(name: "receiver \(path)", url: receiver.url(path), eventTypes: types, authMode: auth, maxConcurrency: maxConcurrency),
            tenant: .defaultTenant)
    }

    func publish(_ type: String = "order.created", payload: String = #"{"order_id":"ord_1"}"#) async throws -> PublishResult {
        try await switchboard.publish(PublishRequest(tenantID: .defaultTenant, eventType: type, payload: Data(payload.utf8)))
    }

    /// Polls `condition` every 10 ms until it holds; fails after `seconds`.
    func waitUntil(_ what: String, timeout seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HarnessTimeout(description: "timed out after \(seconds)s waiting for \(what)")
    }

    func delivery(_ id: String) async throws -> Delivery {
        try await switchboard.delivery(id: id, tenant: .defaultTenant)
    }

    func waitForDelivery(_ id: String, toBe state: Delivery.State) async throws {
        try await waitUntil("delivery \(id) to be \(state.rawValue)") { try await delivery(id).state == state }
    }

    struct HarnessTimeout: Error, CustomStringConvertible { let description: String }
}
