import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardTransport

/// One scenario's world: a fresh SQLite store in its own temporary directory, the dispatcher
/// core with its default configuration, the delivery transport, a running dispatcher and a
/// receiver on loopback. Built by ``run(synchronous:logger:_:)`` and torn down after.
final class BenchRig: Sendable {
    let directory: URL
    let store: any Store
    let switchboard: Switchboard
    let receiver: BenchReceiver

    private init(directory: URL, store: any Store, switchboard: Switchboard, receiver: BenchReceiver) {
        self.directory = directory
        self.store = store
        self.switchboard = switchboard
        self.receiver = receiver
    }

    /// The transport the dispatcher sends through: the one line to change when another one is measured.
    static func makeTransport(configuration: DispatcherConfiguration) -> any DeliveryTransport {
        HTTPDeliveryTransport(
            configuration: TransportConfiguration(connectTimeout: configuration.connectTimeout),
            addressGuard: configuration.destinations.network)
    }

    /// Builds a rig, runs `body` with the dispatcher running, then tears it down: the receiver
    /// stops first (so requests left hanging fail at once instead of holding the drain), the
    /// dispatcher shuts down gracefully (stops claiming, records what finished), then the
    /// transport; the directory is deleted.
    ///
    /// With `storeURL`, the store is PostgreSQL: a schema of its own in that database, dropped after.
    static func run<Result: Sendable>(
        synchronous: SQLiteStore.SynchronousMode, storeURL: String? = nil, logger: Logger, _ body: (BenchRig) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sealer = SecretSealer(keyring: MasterKeyring(current: .generate()), origin: "a throwaway bench key")
        let store: any Store
        var postgres: PostgresStore?
        if let storeURL {
            let schema = "switchboard_bench_" + UUID().uuidString.prefix(8).lowercased()
            let opened = try await PostgresStore(configuration: try PostgresStoreConfiguration(url: storeURL, schema: schema), sealer: sealer, logger: logger)
            postgres = opened
            store = opened
        } else {
            store = try SQLiteStore(
                path: directory.appendingPathComponent("bench.sqlite").path, synchronous: synchronous, sealer: sealer, logger: logger)
        }
        // The default configuration, with the dev switch: the bench's receiver is on loopback.
        let switchboard = Switchboard(store: store, configuration: DispatcherConfiguration(destinations: .development), logger: logger)
        let receiver = try await BenchReceiver.start()
        let transport = makeTransport(configuration: switchboard.configuration)
        let dispatcher = DeliveryDispatcher(switchboard: switchboard, transport: transport, requeueInFlightOnStart: postgres == nil, logger: logger)
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: [dispatcher], logger: logger))
        let rig = BenchRig(directory: directory, store: store, switchboard: switchboard, receiver: receiver)
        let outcome: Swift.Result<Result, any Error>
        do {
            outcome = .success(
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await services.run() }
                    defer { group.cancelAll() }
                    let result: Result
                    do {
                        result = try await body(rig)
                    } catch {
                        await receiver.stop()
                        throw error
                    }
                    await receiver.stop()
                    await services.triggerGracefulShutdown()
                    _ = try await group.next()
                    return result
                })
        } catch {
            outcome = .failure(error)
        }
        await receiver.stop()
        await transport.shutdown()
        if let postgres {
            try? await postgres.dropOwnSchema()
            await postgres.close()
        }
        return try outcome.get()
    }

    /// Bytes the store takes on disk: the database, its write-ahead log and shared memory;
    /// `nil` for a PostgreSQL store.
    func storeFileBytes() -> Int? {
        guard store is SQLiteStore else { return nil }
        let base = directory.appendingPathComponent("bench.sqlite").path
        return ["", "-wal", "-shm"].reduce(0) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: base + suffix)[.size] as? NSNumber)?.intValue ?? 0
            return total + size
        }
    }

    /// Waits until the receiver has `count` distinct deliveries, for at most `timeout`; `false` when it gave up.
    func waitForDeliveries(_ count: Int, timeout: Duration = .seconds(120)) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while receiver.log.distinctDeliveries < count {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
