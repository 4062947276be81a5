import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardTransport

/// One scenario's world: a fresh SQLite store in its own temporary directory (or a throwaway
/// PostgreSQL schema), the dispatcher core with its default configuration, the delivery
/// transport, a running dispatcher and a receiver on loopback. On PostgreSQL it may be several
/// nodes, each with its own store connection pool, dispatcher, transport and cluster node
/// (wake-ups, cluster-wide feed), as several `serve` processes would be. Built by
/// ``run(synchronous:storeURL:nodes:logger:_:)`` and torn down after.
final class BenchRig: Sendable {
    let directory: URL
    let store: any Store
    /// The nodes; the first also sets the scenario up.
    let nodes: [Switchboard]
    let receiver: BenchReceiver
    var switchboard: Switchboard { nodes[0] }

    private init(directory: URL, store: any Store, nodes: [Switchboard], receiver: BenchReceiver) {
        self.directory = directory
        self.store = store
        self.nodes = nodes
        self.receiver = receiver
    }

    /// The transport the dispatcher sends through: the one line to change when another one is measured.
    static func makeTransport(configuration: DispatcherConfiguration) -> any DeliveryTransport {
        HTTPDeliveryTransport(
            configuration: TransportConfiguration(connectTimeout: configuration.connectTimeout),
            addressGuard: configuration.destinations.network)
    }

    /// Builds a rig, runs `body` with the dispatchers running, then tears it down: the
    /// dispatchers begin a graceful shutdown (stop claiming, record what finishes), then the
    /// receiver stops (so requests left hanging fail at once instead of holding the drain, and
    /// deliveries still waiting are not sent into a closed port), then the transports; the
    /// directory is deleted.
    ///
    /// With `storeURL`, the store is PostgreSQL: a schema of its own in that database, shared by
    /// `nodes` nodes and dropped after.
    static func run<Result: Sendable>(
        synchronous: SQLiteStore.SynchronousMode, storeURL: String? = nil, nodes nodeCount: Int = 1, logger: Logger,
        _ body: (BenchRig) async throws -> Result
    ) async throws -> Result {
        precondition(nodeCount == 1 || storeURL != nil, "several nodes need a PostgreSQL store")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sealer = SecretSealer(keyring: MasterKeyring(current: .generate()), origin: "a throwaway bench key")
        var stores: [any Store] = []
        var postgres: [PostgresStore] = []
        if let storeURL {
            let configuration = try PostgresStoreConfiguration(url: storeURL, schema: "switchboard_bench_" + UUID().uuidString.prefix(8).lowercased())
            for _ in 0..<nodeCount {
                let opened = try await PostgresStore(configuration: configuration, sealer: sealer, logger: logger)
                postgres.append(opened)
                stores.append(opened)
            }
        } else {
            stores.append(
                try SQLiteStore(
                    path: directory.appendingPathComponent("bench.sqlite").path, synchronous: synchronous, sealer: sealer, logger: logger))
        }
        let receiver = try await BenchReceiver.start()
        var switchboards: [Switchboard] = []
        var transports: [any DeliveryTransport] = []
        var services: [any Service] = []
        for (index, store) in stores.enumerated() {
            // The default configuration, with the dev switch: the bench's receiver is on loopback.
            var configuration = DispatcherConfiguration(destinations: .development)
            let nodeID = postgres.isEmpty ? nil : ClusterNode.makeID()
            configuration.nodeID = nodeID
            let switchboard = Switchboard(store: store, configuration: configuration, logger: logger)
            let transport = makeTransport(configuration: configuration)
            let dispatcher = DeliveryDispatcher(switchboard: switchboard, transport: transport, requeueInFlightOnStart: postgres.isEmpty, logger: logger)
            services.append(dispatcher)
            if let nodeID {
                services.append(
                    ClusterNode(
                        id: nodeID, store: postgres[index], version: SwitchboardVersion.current, notify: true,
                        inFlight: { dispatcher.inFlightCount }, onWake: { switchboard.wakeDispatcher() }, leaderJobs: {},
                        feed: switchboard.feed, logger: logger))
            }
            switchboards.append(switchboard)
            transports.append(transport)
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        let rig = BenchRig(directory: directory, store: stores[0], nodes: switchboards, receiver: receiver)
        let outcome: Swift.Result<Result, any Error>
        do {
            outcome = .success(
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    defer { tasks.cancelAll() }
                    let result: Result
                    do {
                        result = try await body(rig)
                    } catch {
                        await receiver.stop()
                        throw error
                    }
                    await group.triggerGracefulShutdown()
                    await receiver.stop()
                    _ = try await tasks.next()
                    return result
                })
        } catch {
            outcome = .failure(error)
        }
        await receiver.stop()
        for transport in transports { await transport.shutdown() }
        for store in postgres.dropFirst() { await store.close() }
        if let first = postgres.first {
            try? await first.dropOwnSchema()
            await first.close()
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
