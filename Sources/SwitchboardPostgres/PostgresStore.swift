import Foundation
import Logging
import NIOSSL
import PostgresNIO
import SwitchboardCore

/// The shared ``Store``: one PostgreSQL database that any number of Switchboard nodes use at
/// the same time, through a `PostgresClient` connection pool.
///
/// Semantics are those of `SQLiteStore`, made safe for several writers: claims take rows
/// with `FOR UPDATE SKIP LOCKED` under a per-endpoint advisory lock (so an endpoint's
/// concurrency limit holds across nodes), records are fenced by lease tokens, idempotency keys
/// live in a table whose primary key is (tenant, key), and migrations run once under
/// `pg_advisory_lock`.
///
/// Storage conventions follow the SQLite store: dates are `DOUBLE PRECISION` unix seconds,
/// payloads `BYTEA`, lists and maps JSON text, secrets and endpoint headers sealed with the
/// store's ``SecretSealer``. Every value travels as a bind parameter, never inside SQL text.
/// Messages name the database by ``PostgresStoreConfiguration/redactedURL`` only.
public final class PostgresStore: Store {
    /// Where the store connects, as configured (its password never shown).
    public let configuration: PostgresStoreConfiguration
    let client: PostgresClient
    let logger: Logger
    let sealer: SecretSealer
    /// Whether writes that make deliveries due NOTIFY ``ClusterNode/wakeupChannel``.
    let notify: Bool
    /// This store instance's name in `deliveries.lease_holder`: random, one per process (node).
    let claimant: String
    private let runner: Task<Void, Never>

    /// Claims count deliveries sent but not yet recorded against their endpoint's room.
    public var claimsWaitForRecords: Bool { true }

    /// Connects, migrates the schema (once across nodes, under an advisory lock) and checks
    /// that `sealer` opens every sealed secret.
    ///
    /// - Parameters:
    ///   - configuration: Where to connect, TLS mode and pool size.
    ///   - sealer: Seals and opens secrets; it must have the key of every secret already sealed.
    ///   - migrate: Whether to apply pending migrations (`false` only checks the connection).
    ///   - notify: Whether publishes and requeues NOTIFY the other nodes (`store.notify`; off
    ///     behind a transaction-pooling proxy, where polling alone finds due deliveries).
    ///   - logger: Where connection trouble and migrations are logged.
    /// - Throws: ``StoreError/unavailable(_:)`` when the server cannot be reached, refuses the
    ///   login, or the schema cannot be migrated; the message names the redacted URL.
    public init(
        configuration: PostgresStoreConfiguration, sealer: SecretSealer, migrate: Bool = true, notify: Bool = true,
        logger: Logger
    ) async throws {
        self.configuration = configuration
        self.notify = notify
        self.claimant = "c" + String(RandomBytes.uint64(), radix: 36)
        self.sealer = sealer
        self.logger = logger
        let client = PostgresClient(configuration: try Self.clientConfiguration(configuration), backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        do {
            try await Self.firstContact(client, configuration: configuration, logger: logger)
            if migrate { _ = try await self.migrate() }
            try await checkSealedSecrets()
        } catch {
            runner.cancel()
            await runner.value
            if let error = error as? StoreError { throw error }
            throw StoreError.unavailable("cannot use \(configuration.redactedURL): \(Self.reason(error))")
        }
        logger.debug("postgres store open", metadata: ["url": "\(configuration.redactedURL)"])
    }

    deinit { runner.cancel() }

    /// Drops the store's own schema with every table in it (for throwaway stores, such as a
    /// benchmark's); does nothing when the store uses the server's default schema.
    public func dropOwnSchema() async throws {
        guard let schema = configuration.schema else { return }
        _ = try await rows(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema.replacingOccurrences(of: "\"", with: ""))\" CASCADE"))
    }

    /// Closes every connection. The store cannot be used afterwards.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    /// Runs a trivial query; throws ``StoreError/unavailable(_:)`` when it fails.
    public func checkHealth() async throws {
        _ = try await rows("SELECT 1")
    }

    // MARK: Connecting

    static func clientConfiguration(_ configuration: PostgresStoreConfiguration) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch configuration.tls {
        case .disable: tls = .disable
        case .prefer:
            var context = TLSConfiguration.makeClientConfiguration()
            context.certificateVerification = .none
            tls = .prefer(context)
        case .require: tls = .require(TLSConfiguration.makeClientConfiguration())
        }
        var client = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls)
        client.options.maximumConnections = configuration.poolSize
        client.options.minimumConnections = 0
        client.options.connectTimeout = .seconds(10)
        if let schema = configuration.schema {
            client.options.additionalStartupParameters = [("search_path", schema)]
        }
        return client
    }

    /// One direct connection first, so that a server that is down or a refused login fails
    /// the start with the server's reason (the pool would keep retrying quietly), then one
    /// query through the pool, within a deadline.
    static func firstContact(
        _ client: PostgresClient, configuration: PostgresStoreConfiguration, logger: Logger
    ) async throws {
        let tls: PostgresConnection.Configuration.TLS
        switch configuration.tls {
        case .disable: tls = .disable
        case .prefer:
            var context = TLSConfiguration.makeClientConfiguration()
            context.certificateVerification = .none
            tls = .prefer(try NIOSSLContext(configuration: context))
        case .require: tls = .require(try NIOSSLContext(configuration: TLSConfiguration.makeClientConfiguration()))
        }
        var direct = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls)
        direct.options.connectTimeout = .seconds(10)
        if let schema = configuration.schema { direct.options.additionalStartupParameters = [("search_path", schema)] }
        let connection = try await PostgresConnection.connect(configuration: direct, id: 0, logger: logger)
        try? await connection.close()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await client.query("SELECT 1", logger: logger).collect() }
            group.addTask {
                try await Task.sleep(for: .seconds(15))
                throw StoreError.unavailable("cannot connect to \(configuration.redactedURL): no answer within 15 s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    // MARK: Access

    /// Runs one statement outside a transaction and returns its rows.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            return try await client.query(query, logger: logger).collect()
        } catch {
            throw mapped(error)
        }
    }

    /// Runs `body` in one transaction on one pooled connection, retried (from the start) up to
    /// five times on a deadlock or serialization failure.
    ///
    /// - Parameter conflict: What a unique-constraint violation means to the caller, if it can
    ///   happen; otherwise it is reported as ``StoreError/unavailable(_:)``.
    @discardableResult
    func transaction<T: Sendable>(conflict: String? = nil, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        var tries = 0
        while true {
            do {
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    do {
                        let value = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        return value
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                }
            } catch let error as PSQLError where Self.isRetryable(error) && tries < 5 {
                tries += 1
                try? await Task.sleep(for: .milliseconds(5 * tries))
            } catch {
                throw mapped(error, conflict: conflict)
            }
        }
    }

    static func isRetryable(_ error: PSQLError) -> Bool {
        let state = error.serverInfo?[.sqlState]
        return state == "40001" || state == "40P01"
    }

    /// The ``StoreError`` for a failed call: the server's message (never a statement's
    /// arguments, which PostgreSQL leaves out of it) or the client's error code.
    func mapped(_ error: any Error, conflict: String? = nil) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        if Self.isCancelledConnectionWait(error) { return CancellationError() }
        if let error = error as? SecretSealerError {
            logger.error("cannot open a sealed secret", metadata: ["reason": "\(error)"])
            return StoreError.unavailable(error.description)
        }
        if let conflict, let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23505" {
            return StoreError.conflict(conflict)
        }
        let reason = Self.reason(error)
        logger.error("database call failed", metadata: ["url": "\(configuration.redactedURL)", "reason": "\(reason)"])
        return StoreError.unavailable(reason)
    }

    /// Whether `error` is the pool's answer to a task cancelled while it waited for a connection
    /// (postgres-nio's pool errors live in an underscored module; their description names the case).
    static func isCancelledConnectionWait(_ error: any Error) -> Bool {
        String(describing: type(of: error)) == "ConnectionPoolError" && String(describing: error).contains("requestCancelled")
    }

    /// A short reason for `error` that carries no bound value and no password.
    static func reason(_ error: any Error) -> String {
        if let error = error as? StoreError { return error.description }
        if let error = error as? PostgresTransactionError {
            return reason(error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError ?? error)
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (\($0))" } ?? ""
                return message + state
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        if let error = error as? PostgresDecodingError { return "cannot decode column \(error.columnName)" }
        if String(describing: type(of: error)) == "ConnectionPoolError" {
            if isCancelledConnectionWait(error) { return "the wait for a database connection was cancelled" }
            if String(describing: error).contains("poolShutdown") { return "the database connection pool is shut down" }
            return "cannot connect to the database (connection attempts keep failing)"
        }
        return String(describing: type(of: error))
    }
}

extension PostgresStore {
    /// NOTIFYs the wake-up channel, delivered to the listening nodes when the transaction commits.
    func wakeOthers(_ connection: PostgresConnection) async throws {
        guard notify else { return }
        try await connection.rows("SELECT pg_notify(\(ClusterNode.wakeupChannel), '')", logger)
    }
}

extension PostgresConnection {
    /// Runs `query` and collects its rows.
    @discardableResult
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
