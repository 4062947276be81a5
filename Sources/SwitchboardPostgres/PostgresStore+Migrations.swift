import Foundation
import Logging
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// One versioned change of the schema. A migration, once released, is never edited:
    /// changes go in a new one.
    struct Migration: Sendable {
        let version: String
        let statements: [String]
    }

    /// The advisory lock namespace every node takes while it migrates a schema ("sbmg"), with
    /// `hashtext` of the schema's name.
    static let migrationLockNamespace: Int32 = 0x7362_6D67

    /// Applies the migrations not yet recorded in `schema_migrations`, in order, each in its
    /// own transaction, while holding `pg_advisory_lock`: nodes that start together wait for
    /// the first, then find nothing left to do. Returns the versions this call applied.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await Self.migrate(client: client, configuration: configuration, logger: logger)
    }

    /// Connects, applies the pending migrations and disconnects, without opening a store (no
    /// master key needed): `switchboard migrate` in a deploy pipeline. Returns the versions applied.
    public static func migrate(configuration: PostgresStoreConfiguration, logger: Logger) async throws -> [String] {
        let client = PostgresClient(configuration: try clientConfiguration(configuration), backgroundLogger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        do {
            try await firstContact(client, configuration: configuration, logger: logger)
            return try await migrate(client: client, configuration: configuration, logger: logger)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable("cannot use \(configuration.redactedURL): \(reason(error))")
        }
    }

    private static func migrate(client: PostgresClient, configuration: PostgresStoreConfiguration, logger: Logger) async throws -> [String] {
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        let schema = configuration.schema ?? "public"
        do {
            return try await client.withConnection { connection in
                try await connection.rows("SELECT pg_advisory_lock(\(Self.migrationLockNamespace), hashtext(\(schema)))", logger)
                do {
                    if configuration.schema != nil {
                        // An identifier cannot be a bind parameter: it is quoted, its quotes doubled.
                        let quoted = "\"" + schema.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                        try await connection.rows(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(quoted)"), logger)
                    }
                    try await connection.rows(
                        """
                        CREATE TABLE IF NOT EXISTS schema_migrations (
                            version TEXT PRIMARY KEY,
                            applied_at DOUBLE PRECISION NOT NULL,
                            applied_by TEXT NOT NULL
                        )
                        """, logger)
                    var applied = Set<String>()
                    for row in try await connection.rows("SELECT version FROM schema_migrations", logger) {
                        applied.insert(try row.decode(String.self))
                    }
                    var done: [String] = []
                    for migration in Self.migrations where !applied.contains(migration.version) {
                        try await connection.rows("BEGIN", logger)
                        do {
                            for statement in migration.statements {
                                try await connection.rows(PostgresQuery(unsafeSQL: statement), logger)
                            }
                            let by = "\(host) pid \(pid)"
                            try await connection.rows(
                                "INSERT INTO schema_migrations (version, applied_at, applied_by) VALUES (\(migration.version), \(Date().timeIntervalSince1970), \(by))",
                                logger)
                            try await connection.rows("COMMIT", logger)
                        } catch {
                            _ = try? await connection.rows("ROLLBACK", logger)
                            throw error
                        }
                        logger.notice("applied migration", metadata: ["version": "\(migration.version)"])
                        done.append(migration.version)
                    }
                    try await connection.rows("SELECT pg_advisory_unlock(\(Self.migrationLockNamespace), hashtext(\(schema)))", logger)
                    return done
                } catch {
                    _ = try? await connection.rows("SELECT pg_advisory_unlock(\(Self.migrationLockNamespace), hashtext(\(schema)))", logger)
                    throw error
                }
            }
        } catch {
            throw StoreError.unavailable("cannot migrate \(configuration.redactedURL): \(Self.reason(error))")
        }
    }

    /// The schema's migrations, oldest first.
    static let migrations: [Migration] = [
        Migration(version: "v1-initial", statements: v1),
        Migration(version: "v2-cluster-nodes", statements: v2),
        Migration(version: "v3-change-feed", statements: v3),
        Migration(version: "v4-lease-holder", statements: v4),
        Migration(version: "v5-endpoint-pace", statements: v5),
    ]

    /// Which store instance (node) holds each in-flight delivery's lease: a node that is an
    /// endpoint's only lease holder may claim ahead of its slots (see `claimDueDeliveries`).
    /// Each rate-limited endpoint's next free send start, shared by the nodes so a
    /// `rate_limit_per_second` holds for the cluster, not per node.
    private static let v5: [String] = [
        """
        CREATE TABLE endpoint_pace (
            endpoint_id TEXT PRIMARY KEY REFERENCES endpoints(id) ON DELETE CASCADE,
            next_start DOUBLE PRECISION NOT NULL
        )
        """,
    ]

    private static let v4: [String] = [
        "ALTER TABLE deliveries ADD COLUMN lease_holder TEXT",
    ]

    /// The cluster-wide change feed: one row per change, naming what changed (never its
    /// payload), tailed by every node; the leader prunes old rows.
    private static let v3: [String] = [
        """
        CREATE TABLE changes (
            id BIGSERIAL PRIMARY KEY,
            node TEXT NOT NULL,
            kind TEXT NOT NULL,
            tenant_id TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT,
            created_at DOUBLE PRECISION NOT NULL
        )
        """,
        "CREATE INDEX changes_by_time ON changes(created_at)",
    ]

    /// The nodes of the cluster with their heartbeat, and the node that made each attempt.
    private static let v2: [String] = [
        """
        CREATE TABLE nodes (
            id TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            version TEXT NOT NULL,
            started_at DOUBLE PRECISION NOT NULL,
            last_seen_at DOUBLE PRECISION NOT NULL,
            in_flight BIGINT NOT NULL DEFAULT 0,
            leader BOOLEAN NOT NULL DEFAULT FALSE
        )
        """,
        "ALTER TABLE attempts ADD COLUMN node TEXT",
    ]

    /// The schema of SQLite's v1 to v3 in one step: api keys, endpoints (with throttle and rate
    /// limit), sources, events, deliveries (with lease tokens), attempts (with the superseded
    /// flag), and the idempotency keys, unique per tenant across every node.
    private static let v1: [String] = [
        """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            scopes TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            key_prefix TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL,
            revoked_at DOUBLE PRECISION
        )
        """,
        "CREATE INDEX api_keys_by_tenant ON api_keys(tenant_id, created_at)",
        """
        CREATE TABLE endpoints (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            url TEXT NOT NULL,
            description TEXT NOT NULL,
            event_types TEXT NOT NULL,
            auth_mode TEXT NOT NULL,
            secret TEXT NOT NULL,
            previous_secret TEXT,
            previous_secret_expires_at DOUBLE PRECISION,
            enabled BOOLEAN NOT NULL,
            disabled_reason TEXT,
            disabled_at DOUBLE PRECISION,
            failing_since DOUBLE PRECISION,
            throttled_until DOUBLE PRECISION,
            max_concurrency BIGINT NOT NULL,
            rate_limit_per_second BIGINT CHECK (rate_limit_per_second > 0),
            headers TEXT NOT NULL,
            source_ids TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        )
        """,
        "CREATE INDEX endpoints_by_tenant ON endpoints(tenant_id, created_at)",
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            provider TEXT NOT NULL,
            signing_secret TEXT NOT NULL,
            previous_signing_secret TEXT,
            previous_secret_expires_at DOUBLE PRECISION,
            slug TEXT NOT NULL UNIQUE,
            hmac_options TEXT NOT NULL,
            retention_days BIGINT,
            events_received BIGINT NOT NULL DEFAULT 0,
            rejected_count BIGINT NOT NULL DEFAULT 0,
            last_rejection_reason TEXT,
            last_rejected_at DOUBLE PRECISION,
            last_received_at DOUBLE PRECISION,
            created_at DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        )
        """,
        "CREATE INDEX sources_by_tenant ON sources(tenant_id, created_at)",
        """
        CREATE TABLE events (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            payload BYTEA NOT NULL,
            origin TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('QUEUED', 'DELIVERED', 'PARTIAL', 'FAILED', 'REPLAYED')),
            idempotency_key TEXT,
            request_hash TEXT,
            replay_of TEXT,
            source_id TEXT,
            correlation_id TEXT,
            source_headers TEXT NOT NULL DEFAULT '{}',
            created_at DOUBLE PRECISION NOT NULL
        )
        """,
        "CREATE INDEX events_by_tenant_time ON events(tenant_id, created_at, seq)",
        "CREATE INDEX events_by_time ON events(created_at, seq)",
        "CREATE INDEX events_by_tenant_status ON events(tenant_id, status, created_at)",
        "CREATE INDEX events_by_tenant_type ON events(tenant_id, event_type, created_at)",
        "CREATE INDEX events_by_source ON events(source_id, created_at) WHERE source_id IS NOT NULL",
        // One row per (tenant, key): the primary key makes two nodes inserting the same key at
        // once create one event. A key whose event is purged goes with it.
        """
        CREATE TABLE idempotency_keys (
            tenant_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            created_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (tenant_id, idempotency_key)
        )
        """,
        "CREATE INDEX idempotency_keys_by_event ON idempotency_keys(event_id)",
        """
        CREATE TABLE deliveries (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            endpoint_id TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('pending', 'in_flight', 'scheduled', 'succeeded', 'failed', 'paused', 'cancelled')),
            attempt_count BIGINT NOT NULL,
            next_attempt_at DOUBLE PRECISION,
            lease_expires_at DOUBLE PRECISION,
            lease_token BIGINT,
            last_status_code BIGINT,
            last_error TEXT,
            created_at DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        )
        """,
        "CREATE INDEX deliveries_by_state ON deliveries(state, next_attempt_at)",
        "CREATE INDEX deliveries_by_event ON deliveries(event_id)",
        "CREATE INDEX deliveries_by_endpoint ON deliveries(endpoint_id, state, created_at)",
        "CREATE INDEX deliveries_waiting ON deliveries(endpoint_id, next_attempt_at, seq) WHERE state IN ('pending', 'scheduled')",
        "CREATE INDEX deliveries_in_flight ON deliveries(endpoint_id, lease_expires_at) WHERE state = 'in_flight'",
        "CREATE INDEX deliveries_by_tenant_time ON deliveries(tenant_id, created_at)",
        """
        CREATE TABLE attempts (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            endpoint_id TEXT NOT NULL,
            number BIGINT NOT NULL,
            url TEXT NOT NULL,
            request_headers TEXT NOT NULL,
            status_code BIGINT,
            error_class TEXT,
            error_message TEXT,
            response_body TEXT,
            duration_ms BIGINT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL,
            next_retry_at DOUBLE PRECISION,
            superseded BOOLEAN NOT NULL DEFAULT FALSE
        )
        """,
        "CREATE INDEX attempts_by_delivery ON attempts(delivery_id, number)",
        "CREATE INDEX attempts_by_event ON attempts(event_id, created_at)",
        "CREATE INDEX attempts_by_tenant_time ON attempts(tenant_id, created_at)",
    ]
}
