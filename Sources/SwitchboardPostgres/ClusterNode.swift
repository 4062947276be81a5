import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import SwitchboardCore

/// One node of a cluster sharing a ``PostgresStore``, as a `Service`:
///
/// - registers itself in `nodes` and beats every ``heartbeatInterval`` (last seen, in-flight count);
/// - competes for leadership with `pg_try_advisory_lock` on a connection it holds: the leader
///   runs the singleton jobs (retention purge…) and stays leader while that connection lives.
///   When the leader dies its session ends, the lock is free, and another node takes over at
///   its next try, within ``heartbeatInterval`` plus the time the server needs to see the
///   connection drop (at once for a killed process);
/// - when `notify` is on, LISTENs on `switchboard_wakeup` and calls `onWake` for every
///   notification, so a publish on any node wakes the dispatchers of all nodes. Polling stays
///   the fallback;
/// - with a `feed`, makes it cluster-wide through the `changes` table (see ``ChangeRelay``);
///   the leader prunes rows older than ten minutes.
public final class ClusterNode: Service, Sendable {
    /// The advisory lock key of the leader ("sbleader").
    static let leaderLockKey: Int64 = 0x7362_6C65_6164_6572
    /// The channel publishes notify.
    public static let wakeupChannel = "switchboard_wakeup"

    /// This node's id, recorded with its attempts.
    public let id: String
    private let store: PostgresStore
    private let version: String
    private let notify: Bool
    private let heartbeatInterval: Duration
    private let inFlight: @Sendable () -> Int
    private let onWake: @Sendable () -> Void
    private let leaderJobs: @Sendable () async -> Void
    private let feed: ChangeFeed?
    private let logger: Logger

    /// - Parameters:
    ///   - id: This node's id (see ``makeID()``).
    ///   - notify: LISTEN for wake-ups (`store.notify`).
    ///   - inFlight: Deliveries this node has in flight, for the heartbeat.
    ///   - onWake: Called when another node published.
    ///   - leaderJobs: Runs while this node leads; cancelled when it stops leading.
    ///   - feed: The node's change feed, made cluster-wide; `nil` to keep it local.
    public init(
        id: String, store: PostgresStore, version: String, notify: Bool, heartbeatInterval: Duration = .seconds(2),
        inFlight: @escaping @Sendable () -> Int, onWake: @escaping @Sendable () -> Void,
        leaderJobs: @escaping @Sendable () async -> Void, feed: ChangeFeed? = nil, logger: Logger
    ) {
        self.feed = feed
        self.id = id
        self.store = store
        self.version = version
        self.notify = notify
        self.heartbeatInterval = heartbeatInterval
        self.inFlight = inFlight
        self.onWake = onWake
        self.leaderJobs = leaderJobs
        self.logger = logger
    }

    /// A new node id: `node_`, the host name and a random suffix.
    public static func makeID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let suffix = (0..<6).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement()!) }.joined()
        return "node_\(host)_\(suffix)"
    }

    public func run() async throws {
        let started = Date().timeIntervalSince1970
        try await beat(started: started, leader: false)
        logger.notice("cluster node registered", metadata: ["node": "\(id)", "notify": "\(notify)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.heartbeats(started: started) }
            group.addTask { await self.leadership() }
            if notify { group.addTask { await self.listen() } }
            if let feed {
                let relay = ChangeRelay(store: store, node: id, feed: feed, logger: logger)
                group.addTask { await relay.run(listen: self.notify) }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        _ = try? await store.rows("DELETE FROM nodes WHERE id = \(id)")
    }

    private func beat(started: Double, leader: Bool) async throws {
        let now = Date().timeIntervalSince1970
        let host = ProcessInfo.processInfo.hostName
        try await store.rows(
            """
            INSERT INTO nodes (id, host, version, started_at, last_seen_at, in_flight, leader)
            VALUES (\(id), \(host), \(version), \(started), \(now), \(inFlight()), \(leader))
            ON CONFLICT (id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, in_flight = EXCLUDED.in_flight,
            leader = EXCLUDED.leader
            """)
    }

    private let leading = LeaderFlag()

    private func heartbeats(started: Double) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: heartbeatInterval) } catch { return }
            do {
                try await beat(started: started, leader: leading.value)
                // Nodes silent for a minute are gone.
                try await store.rows("DELETE FROM nodes WHERE last_seen_at < \(Date().timeIntervalSince1970 - 60)")
            } catch {
                logger.warning("cluster heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func leadership() async {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    let got = try await connection.rows("SELECT pg_try_advisory_lock(\(Self.leaderLockKey))", logger)
                        .first?.decode(Bool.self) ?? false
                    guard got else { return }
                    leading.set(true)
                    logger.notice("this node leads the cluster: it runs the singleton jobs", metadata: ["node": "\(id)"])
                    defer { leading.set(false) }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { await self.leaderJobs() }
                        group.addTask {
                            while true {
                                _ = try? await self.store.pruneChanges(olderThan: 600)
                                try await Task.sleep(for: .seconds(60))
                            }
                        }
                        group.addTask {
                            // The lock lives as long as this connection: check it is alive.
                            while true {
                                try await Task.sleep(for: self.heartbeatInterval)
                                try await connection.rows("SELECT 1", self.logger)
                            }
                        }
                        defer { group.cancelAll() }
                        try await group.next()
                    }
                    _ = try? await connection.rows("SELECT pg_advisory_unlock(\(Self.leaderLockKey))", logger)
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("leadership connection lost", metadata: ["error": "\(PostgresStore.reason(error))"])
            }
            do { try await Task.sleep(for: heartbeatInterval) } catch { return }
        }
    }

    private func listen() async {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: Self.wakeupChannel) { notifications in
                        onWake()  // anything published while not listening
                        for try await _ in notifications { onWake() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN connection lost; polling until it is back", metadata: ["error": "\(PostgresStore.reason(error))"])
            }
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
        }
    }
}
