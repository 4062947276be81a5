import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Stores a new endpoint; throws ``StoreError/conflict(_:)`` (`"endpoint <id>"`) when the id
    /// is taken, in any tenant.
    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        let sealed = try Sealed(endpoint, sealer: sealer)
        try await transaction(conflict: "endpoint \(endpoint.id)") { connection in
            try await connection.rows(
                """
                INSERT INTO endpoints (id, tenant_id, name, url, description, event_types, auth_mode, secret, previous_secret,
                previous_secret_expires_at, enabled, disabled_reason, disabled_at, failing_since, throttled_until,
                max_concurrency, rate_limit_per_second, headers, source_ids, created_at, updated_at)
                VALUES (\(endpoint.id), \(endpoint.tenantID), \(endpoint.name), \(endpoint.url), \(endpoint.description),
                \(PostgresRows.json(endpoint.eventTypes)), \(endpoint.authMode.rawValue), \(sealed.secret), \(sealed.previousSecret),
                \(endpoint.previousSecretExpiresAt?.unixSeconds), \(endpoint.enabled), \(endpoint.disabledReason),
                \(endpoint.disabledAt?.unixSeconds), \(endpoint.failingSince?.unixSeconds), \(endpoint.throttledUntil?.unixSeconds),
                \(endpoint.maxConcurrency), \(endpoint.rateLimitPerSecond), \(sealed.headers), \(PostgresRows.json(endpoint.sourceIDs)),
                \(endpoint.createdAt.unixSeconds), \(endpoint.updatedAt.unixSeconds))
                """, logger)
        }
    }

    /// An endpoint's secrets and headers, sealed.
    private struct Sealed {
        let secret: String
        let previousSecret: String?
        let headers: String

        init(_ endpoint: Endpoint, sealer: SecretSealer) throws {
            secret = try sealer.seal(endpoint.secret.reveal())
            previousSecret = try endpoint.previousSecret.map { try sealer.seal($0.reveal()) }
            headers = try sealer.seal(PostgresRows.json(endpoint.headers))
        }
    }

    /// The endpoint with this id in `tenant`.
    public func endpoint(id: String, tenant: TenantID) async throws -> Endpoint? {
        try await rows("SELECT * FROM endpoints WHERE id = \(id) AND tenant_id = \(tenant)").first.map { try PostgresRows.endpoint($0, sealer: sealer) }
    }

    /// Endpoints of `tenant` (every tenant's when `nil`), oldest first.
    public func endpoints(tenant: TenantID?) async throws -> [Endpoint] {
        let rows: [PostgresRow]
        if let tenant {
            rows = try await self.rows("SELECT * FROM endpoints WHERE tenant_id = \(tenant) ORDER BY created_at, id")
        } else {
            rows = try await self.rows("SELECT * FROM endpoints ORDER BY created_at, id")
        }
        return try rows.map { try PostgresRows.endpoint($0, sealer: sealer) }
    }

    /// Writes the endpoint's configuration, never its state (see the SQLite store).
    /// Throws ``StoreError/notFound(_:)`` when there is no such endpoint in the tenant.
    public func updateEndpoint(_ endpoint: Endpoint) async throws {
        let sealed = try Sealed(endpoint, sealer: sealer)
        let rows = try await rows(
            """
            UPDATE endpoints SET name = \(endpoint.name), url = \(endpoint.url), description = \(endpoint.description),
            event_types = \(PostgresRows.json(endpoint.eventTypes)), auth_mode = \(endpoint.authMode.rawValue),
            secret = \(sealed.secret), previous_secret = \(sealed.previousSecret),
            previous_secret_expires_at = \(endpoint.previousSecretExpiresAt?.unixSeconds),
            max_concurrency = \(endpoint.maxConcurrency), rate_limit_per_second = \(endpoint.rateLimitPerSecond),
            headers = \(sealed.headers), source_ids = \(PostgresRows.json(endpoint.sourceIDs)), updated_at = \(endpoint.updatedAt.unixSeconds)
            WHERE id = \(endpoint.id) AND tenant_id = \(endpoint.tenantID) RETURNING id
            """)
        if rows.isEmpty { throw StoreError.notFound("endpoint \(endpoint.id)") }
    }

    public func setEndpointEnabled(id: String, tenant: TenantID, enabled: Bool, reason: String?, at date: Date) async throws -> Endpoint? {
        let row = try await transaction { connection -> PostgresRow? in
            guard let current = try await Self.lockEndpoint(connection, id: id, tenant: tenant, logger) else { return nil }
            if current != enabled {
                if enabled {
                    try await connection.rows(
                        """
                        UPDATE endpoints SET enabled = TRUE, disabled_reason = NULL, disabled_at = NULL, failing_since = NULL,
                        updated_at = \(date.unixSeconds) WHERE id = \(id)
                        """, logger)
                    try await connection.rows(
                        """
                        UPDATE deliveries SET state = 'pending', next_attempt_at = \(date.unixSeconds), updated_at = \(date.unixSeconds)
                        WHERE endpoint_id = \(id) AND state = 'paused'
                        """, logger)
                    try await wakeOthers(connection)
                } else {
                    try await connection.rows(
                        """
                        UPDATE endpoints SET enabled = FALSE, disabled_reason = \(reason), disabled_at = \(date.unixSeconds),
                        updated_at = \(date.unixSeconds) WHERE id = \(id)
                        """, logger)
                    _ = try await Self.pause(connection, endpointID: id, at: date, logger)
                }
            }
            return try await connection.rows("SELECT * FROM endpoints WHERE id = \(id)", logger).first
        }
        return try row.map { try PostgresRows.endpoint($0, sealer: sealer) }
    }

    /// Deletes the endpoint and cancels its unfinished deliveries (in flight ones included),
    /// recomputing their events' statuses, in one transaction. `false` when absent.
    public func deleteEndpoint(id: String, tenant: TenantID, at date: Date) async throws -> Bool {
        try await transaction { connection in
            let deleted = try await connection.rows("DELETE FROM endpoints WHERE id = \(id) AND tenant_id = \(tenant) RETURNING id", logger)
            guard !deleted.isEmpty else { return false }
            let rows = try await connection.rows(
                """
                UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, lease_expires_at = NULL, updated_at = \(date.unixSeconds)
                WHERE endpoint_id = \(id) AND state = ANY(\(Delivery.State.unfinishedNames)) RETURNING event_id
                """, logger)
            let events = try rows.map { try $0.decode(String.self) }
            _ = try await Self.refreshEventStatuses(connection, eventIDs: events, logger)
            return true
        }
    }

    /// Whether `tenant` has an endpoint with this id and whether it is enabled, locking its row
    /// for the rest of the transaction.
    static func lockEndpoint(_ connection: PostgresConnection, id: String, tenant: TenantID, _ logger: Logger) async throws -> Bool? {
        try await connection.rows(
            "SELECT enabled FROM endpoints WHERE id = \(id) AND tenant_id = \(tenant) FOR UPDATE", logger
        ).first?.decode(Bool.self)
    }

    /// Moves the endpoint's pending and scheduled deliveries to `paused`, keeping their due
    /// dates; returns how many, and the events they belong to.
    static func pause(
        _ connection: PostgresConnection, endpointID: String, at date: Date, _ logger: Logger
    ) async throws -> (count: Int, events: [String]) {
        let rows = try await connection.rows(
            """
            UPDATE deliveries SET state = 'paused', updated_at = \(date.unixSeconds)
            WHERE endpoint_id = \(endpointID) AND state IN ('pending', 'scheduled') RETURNING event_id
            """, logger)
        let events = try rows.map { try $0.decode(String.self) }
        return (events.count, Array(Set(events)))
    }
}
