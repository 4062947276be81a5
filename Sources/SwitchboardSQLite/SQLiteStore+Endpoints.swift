import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Stores a new endpoint; throws ``StoreError/conflict(_:)`` (`"endpoint <id>"`) when the id is taken,
    /// in any tenant.
    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        try await write(conflict: "endpoint \(endpoint.id)") { db in
            try db.execute(
                sql: """
                    INSERT INTO endpoints (\(Rows.endpointColumns)) VALUES (:id, :tenant_id, :name, :url, :description,
                    :event_types, :auth_mode, :secret, :previous_secret, :previous_secret_expires_at, :enabled, :disabled_reason,
                    :disabled_at, :failing_since, :max_concurrency, :rate_limit_per_second, :headers, :source_ids, :created_at, :updated_at)
                    """,
                arguments: Rows.endpointArguments(endpoint, sealer: self.sealer))
        }
    }

    /// The endpoint with this id in `tenant`.
    public func endpoint(id: String, tenant: TenantID) async throws -> Endpoint? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM endpoints WHERE id = ? AND tenant_id = ?", arguments: [id, tenant])
                .map { try Rows.endpoint($0, sealer: self.sealer) }
        }
    }

    /// Endpoints of `tenant` (every tenant's when `nil`), oldest first.
    public func endpoints(tenant: TenantID?) async throws -> [Endpoint] {
        try await read { db in
            if let tenant {
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM endpoints WHERE tenant_id = ? ORDER BY created_at, id", arguments: [tenant]
                ).map { try Rows.endpoint($0, sealer: self.sealer) }
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM endpoints ORDER BY created_at, id").map { try Rows.endpoint($0, sealer: self.sealer) }
        }
    }

    /// Writes the endpoint's configuration (name, URL, filters, auth, secrets, headers, limits).
    /// Its state (enabled, disabled reason and time, failing since) is left alone: that changes
    /// only through ``setEndpointEnabled(id:tenant:enabled:reason:at:)`` and recorded attempts,
    /// so an edit based on an older read can never re-enable an endpoint an attempt disabled.
    /// Throws ``StoreError/notFound(_:)`` when there is no such endpoint in the tenant.
    public func updateEndpoint(_ endpoint: Endpoint) async throws {
        let changed = try await write { db in
            try db.execute(
                sql: """
                    UPDATE endpoints SET name = :name, url = :url, description = :description, event_types = :event_types,
                    auth_mode = :auth_mode, secret = :secret, previous_secret = :previous_secret,
                    previous_secret_expires_at = :previous_secret_expires_at,
                    max_concurrency = :max_concurrency, rate_limit_per_second = :rate_limit_per_second, headers = :headers, source_ids = :source_ids, updated_at = :updated_at
                    WHERE id = :id AND tenant_id = :tenant_id
                    """,
                arguments: Rows.endpointArguments(endpoint, sealer: self.sealer))
            return db.changesCount
        }
        if changed == 0 { throw StoreError.notFound("endpoint \(endpoint.id)") }
    }

    public func setEndpointEnabled(id: String, tenant: TenantID, enabled: Bool, reason: String?, at date: Date) async throws -> Endpoint? {
        try await write { db in
            guard let current = try Self.endpointEnabled(db, id: id, tenant: tenant) else { return nil }
            if current != enabled {
                if enabled {
                    try db.execute(
                        sql: """
                            UPDATE endpoints SET enabled = 1, disabled_reason = NULL, disabled_at = NULL, failing_since = NULL,
                            updated_at = ?1 WHERE id = ?2
                            """,
                        arguments: [date.unixSeconds, id])
                    try db.execute(
                        sql: "UPDATE deliveries SET state = 'pending', next_attempt_at = ?1, updated_at = ?1 WHERE endpoint_id = ?2 AND state = 'paused'",
                        arguments: [date.unixSeconds, id])
                } else {
                    try db.execute(
                        sql: "UPDATE endpoints SET enabled = 0, disabled_reason = ?1, disabled_at = ?2, updated_at = ?2 WHERE id = ?3",
                        arguments: [reason, date.unixSeconds, id])
                    _ = try Self.pause(db, endpointID: id, at: date)
                }
            }
            return try Row.fetchOne(db, sql: "SELECT * FROM endpoints WHERE id = ?", arguments: [id]).map { try Rows.endpoint($0, sealer: self.sealer) }
        }
    }

    /// Deletes the endpoint and, in the same transaction, cancels its unfinished deliveries
    /// (in flight ones included: their attempt is still recorded, the delivery stays
    /// cancelled) and recomputes the status of their events. `false` when absent.
    public func deleteEndpoint(id: String, tenant: TenantID, at date: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM endpoints WHERE id = ? AND tenant_id = ?", arguments: [id, tenant])
            guard db.changesCount > 0 else { return false }
            let unfinished = try Row.fetchAll(db, sql: Self.unfinishedDeliveriesSQL, arguments: [id])
            try db.execute(
                sql: """
                    UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, lease_expires_at = NULL, updated_at = ?
                    WHERE seq IN (SELECT value FROM json_each(?))
                    """,
                arguments: [date.unixSeconds, Self.seqList(unfinished.map { $0["seq"] as Int64 })])
            let events = Array(Set(unfinished.map { $0["event_id"] as String }))
            _ = try Self.refreshEventStatuses(db, eventIDs: events)
            return true
        }
    }

    /// An endpoint's unfinished deliveries (`seq`, `event_id`), from the indexes that hold only
    /// such rows, so the cost follows the queue, not the endpoint's history. Argument: the id.
    static let unfinishedDeliveriesSQL = """
        SELECT seq, event_id FROM deliveries WHERE endpoint_id = ?1 AND state IN ('pending', 'scheduled')
        UNION ALL
        SELECT seq, event_id FROM deliveries WHERE endpoint_id = ?1 AND state = 'paused'
        UNION ALL
        SELECT seq, event_id FROM deliveries INDEXED BY deliveries_by_state WHERE state = 'in_flight' AND endpoint_id = ?1
        """

    /// Whether `tenant` has an endpoint with this id, and whether it is enabled.
    static func endpointEnabled(_ db: Database, id: String, tenant: TenantID) throws -> Bool? {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT enabled FROM endpoints WHERE id = ? AND tenant_id = ?"), arguments: [id, tenant])
    }
}
