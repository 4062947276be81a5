import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAPI
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite
import SwitchboardTransport

/// The dispatcher core wired together: store, operations, delivery engine, retention and HTTP API.
///
/// `build` opens everything; `services` are what a `ServiceGroup` runs, in start order
/// (the dispatcher first, so on shutdown the API stops accepting before deliveries drain);
/// `shutdown` releases what outlives the services.
struct SwitchboardApp: Sendable {
    /// What this process does with the store.
    enum Role: Sendable {
        /// Dispatch, purge and serve the API: takes the data directory's lock.
        case dispatcher
        /// Read only (`--readonly`): no lock, no dispatcher, no retention, no API.
        case observer
        /// A console's node of a PostgreSQL cluster: reads and acts on the shared store and
        /// joins the cluster (heartbeat, the cluster-wide change feed, leader jobs when elected),
        /// but neither dispatches nor serves the API.
        case clusterConsole
    }

    let settings: AppSettings
    let switchboard: Switchboard
    let transport: any DeliveryTransport
    /// The dispatcher's services in start order; empty for an observer.
    let services: [any Service]
    /// Where the public ingest URLs of sources point.
    let publicBaseURL: String
    /// Held while this process dispatches from the data directory (SQLite only: PostgreSQL
    /// nodes share their database by design).
    let lock: DispatchLock?
    /// The shared store, closed at shutdown; `nil` on SQLite.
    let postgres: PostgresStore?

    static func build(settings: AppSettings, role: Role = .dispatcher, logger: Logger) async throws -> SwitchboardApp {
        var options = APIOptions(
            host: settings.host, port: settings.port, publicBaseURL: settings.publicBaseURL, telemetry: Telemetry.bootstrap(),
            maxStreamsPerKey: settings.api.maxStreamsPerKey,
            writeRateLimitPerSecond: settings.api.writesPerSecond, writeRateLimitBurst: settings.api.writeBurst,
            authFailureRateLimitPerSecond: settings.api.authFailuresPerSecond, authFailureBurst: settings.api.authFailureBurst,
            idleTimeout: .milliseconds(Int64(settings.api.idleTimeout * 1000)),
            requestTimeout: .milliseconds(Int64(settings.api.requestTimeout * 1000)), maxHeaderBytes: settings.api.maxHeaderBytes,
            version: SwitchboardVersion.current, startedAt: Date(), dispatching: role == .dispatcher)
        try DataDirectory.prepare(settings.dataDirectory, logger: logger)
        var lock: DispatchLock?
        if role == .dispatcher, settings.postgres == nil {
            do {
                lock = try DispatchLock.acquire(
                    forDatabaseAt: settings.databasePath, holder: DispatchLock.Holder(apiURL: "http://\(settings.listenAddress)"))
            } catch {
                throw SettingsError(error.description)
            }
        }
        let sealer = try MasterKeySetup.sealer(for: settings, logger: logger)
        let store: any Store
        var postgres: PostgresStore?
        if let shared = settings.postgres {
            do {
                let opened = try await PostgresStore(
                    configuration: shared.configuration, sealer: sealer, notify: shared.notify, logger: logger)
                postgres = opened
                store = opened
            } catch {
                throw SettingsError("cannot open the store at \(shared.configuration.redactedURL): \(error)")
            }
        } else {
            do {
                store = try SQLiteStore(
                    path: settings.databasePath, synchronous: settings.synchronousFull ? .full : .normal, sealer: sealer, logger: logger)
            } catch {
                throw SettingsError("cannot open the store at \(settings.databasePath): \(error)")
            }
        }
        var dispatcherConfiguration = settings.dispatcher
        if postgres != nil, role != .observer { dispatcherConfiguration.nodeID = ClusterNode.makeID() }
        let switchboard = Switchboard(store: store, configuration: dispatcherConfiguration, logger: logger, logRing: AppLogging.ring)
        options.cluster = postgres
        let transport = HTTPDeliveryTransport(
            configuration: TransportConfiguration(connectTimeout: settings.dispatcher.connectTimeout),
            addressGuard: settings.dispatcher.destinations.network)
        var services: [any Service] = []
        if role == .dispatcher, settings.dev {
            logger.warning(
                "dev mode: deliveries may go to loopback, private networks and plain http://; never run it like this in production")
        }
        if role == .dispatcher {
            // Other nodes own the in-flight rows of a shared store: expired leases are claimable anyway.
            let dispatcher = DeliveryDispatcher(
                switchboard: switchboard, transport: transport, requeueInFlightOnStart: postgres == nil, logger: logger)
            let retention = RetentionService(store: store, clock: switchboard.clock, configuration: settings.retention, logger: logger)
            let api = buildApplication(switchboard: switchboard, options: options, logger: logger)
            if let postgres, let shared = settings.postgres, let nodeID = dispatcherConfiguration.nodeID {
                // Singleton jobs run on the cluster's leader only.
                let node = ClusterNode(
                    id: nodeID, store: postgres, version: SwitchboardVersion.current, notify: shared.notify,
                    inFlight: { dispatcher.inFlightCount }, onWake: { switchboard.wakeDispatcher() },
                    leaderJobs: { try? await retention.run() }, feed: switchboard.feed, logger: logger)
                services = [dispatcher, node, api]
            } else {
                services = [dispatcher, retention, api]
            }
        } else if role == .clusterConsole, let postgres, let shared = settings.postgres, let nodeID = dispatcherConfiguration.nodeID {
            let retention = RetentionService(store: store, clock: switchboard.clock, configuration: settings.retention, logger: logger)
            services = [
                ClusterNode(
                    id: nodeID, store: postgres, version: SwitchboardVersion.current, notify: shared.notify, inFlight: { 0 },
                    onWake: {}, leaderJobs: { try? await retention.run() }, feed: switchboard.feed, logger: logger)
            ]
        }
        return SwitchboardApp(
            settings: settings, switchboard: switchboard, transport: transport, services: services,
            publicBaseURL: options.resolvedPublicBaseURL, lock: lock, postgres: postgres)
    }

    /// The admin key created on this start, and where it was written.
    struct BootstrapKey {
        var secret: Secret
        /// `<data-dir>/admin.key` (mode 0600), or `nil` when it could not be written.
        var file: String?
    }

    /// Creates the first admin key when the store has none and writes it to
    /// `<data-dir>/admin.key`; `nil` when an admin key already exists.
    func bootstrapKey(logger: Logger) async throws -> BootstrapKey? {
        guard let secret = try await switchboard.bootstrapAdminKeyIfNeeded() else { return nil }
        let file = AdminKeyFile(dataDirectory: settings.dataDirectory)
        do {
            try file.store(secret)
            return BootstrapKey(secret: secret, file: file.path)
        } catch {
            logger.warning("could not keep the first admin key in a file", metadata: ["error": "\(error)"])
            return BootstrapKey(secret: secret, file: nil)
        }
    }

    /// How to use a first admin key, for a terminal that is not the console's.
    func bootstrapMessage(_ key: BootstrapKey) -> String {
        let kept = key.file.map { "It is also kept, readable by you only, in \($0).\n" } ?? ""
        return """
            Created the first admin API key. It is shown only this once; store it now:

                \(key.secret.reveal())

            \(kept)Use it as a bearer token, for example:
                curl -H "Authorization: Bearer \(key.secret.reveal())" http://\(settings.listenAddress)/v1/endpoints
            More keys: switchboard keys create --name NAME --scopes read,write

            """
    }

    func shutdown() async throws {
        await transport.shutdown()
        await postgres?.close()
    }
}
