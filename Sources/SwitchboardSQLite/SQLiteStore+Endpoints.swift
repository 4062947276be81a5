import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    static let endpointColumns = """
        id, tenant_id, name, url, description, event_types, auth_mode, secret, previous_secret, previous_secret_expires_at,
        enabled, disabled_reason, disabled_at, failing_since, max_concurrency, headers, source_ids, created_at, updated_at
        """

    public func insertEndpoint(_ endpoint: Endpoint) async throws {
        do {
            try await write { db in
                try db.execute(
                    sql: """
                        INSERT INTO endpoints (\(Self.endpointColumns)) VALUES (:id, :tenant_id, :name, :url, :description,
                        :event_types, :auth_mode, :secret, :previous_secret, :previous_secret_expires_at, :enabled, :disabled_reason,
                        :disabled_at, :failing_since, :max_concurrency, :headers, :source_ids, :created_at, :updated_at)
                        """,
                    arguments: Rows.endpointArguments(endpoint))
            }
        } catch let error as StoreError where error.isConflict {
            throw StoreError.conflict("endpoint \(endpoint.id)")
        }
    }

    public func endpoint(id: String, tenant: TenantID) async throws -> Endpoint? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM endpoints WHERE id = ? AND tenant_id = ?", arguments: [id, tenant]).map(Rows.endpoint)
        }
    }

    public func endpoints(tenant: TenantID?) async throws -> [Endpoint] {
        try await read { db in
            if let tenant {
                return try Row.fetchAll(db, sql: "SELECT * FROM endpoints WHERE tenant_id = ? ORDER BY created_at, id", arguments: [tenant]).map(Rows.endpoint)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM endpoints ORDER BY created_at, id").map(Rows.endpoint)
        }
    }

    public func updateEndpoint(_ endpoint: Endpoint) async throws {
        let changed = try await write { db in
            try db.execute(
                sql: """
                    UPDATE endpoints SET name = :name, url = :url, description = :description, event_types = :event_types,
                    auth_mode = :auth_mode, secret = :secret, previous_secret = :previous_secret,
                    previous_secret_expires_at = :previous_secret_expires_at, enabled = :enabled, disabled_reason = :disabled_reason,
                    disabled_at = :disabled_at, failing_since = :failing_since, max_concurrency = :max_concurrency,
                    headers = :headers, source_ids = :source_ids, updated_at = :updated_at
                    WHERE id = :id AND tenant_id = :tenant_id
                    """,
                arguments: Rows.endpointArguments(endpoint))
            return db.changesCount
        }
        if changed == 0 { throw StoreError.notFound("endpoint \(endpoint.id)") }
    }

    public func deleteEndpoint(id: String, tenant: TenantID, at date: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM endpoints WHERE id = ? AND tenant_id = ?", arguments: [id, tenant])
            guard db.changesCount > 0 else { return false }
            let touched = try String.fetchAll(
                db, sql: "SELECT DISTINCT event_id FROM deliveries WHERE endpoint_id = ? AND state IN ('pending','scheduled','paused','in_flight')",
                arguments: [id])
            try db.execute(
                sql: """
                    UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, lease_expires_at = NULL, updated_at = ?
                    WHERE endpoint_id = ? AND state IN ('pending','scheduled','paused','in_flight')
                    """,
                arguments: [date.unixSeconds, id])
            _ = try Self.refreshEventStatuses(db, eventIDs: touched)
            return true
        }
    }

    // MARK: API keys

    public func insertAPIKey(_ key: APIKey) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (id, tenant_id, name, scopes, key_hash, key_prefix, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    key.id, key.tenantID, key.name, key.scopes.sorted().map(\.rawValue).joined(separator: ","), key.keyHash,
                    key.keyPrefix, key.createdAt.unixSeconds, key.revokedAt?.unixSeconds,
                ])
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", arguments: [hash]).map(Rows.apiKey)
        }
    }

    public func apiKeys(tenant: TenantID?) async throws -> [APIKey] {
        try await read { db in
            if let tenant {
                return try Row.fetchAll(db, sql: "SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id", arguments: [tenant]).map(Rows.apiKey)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, id").map(Rows.apiKey)
        }
    }

    public func revokeAPIKey(id: String, tenant: TenantID?, at date: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND (? IS NULL OR tenant_id = ?) AND revoked_at IS NULL",
                arguments: [date.unixSeconds, id, tenant, tenant])
            return db.changesCount > 0
        }
    }

    public func activeAdminKeyCount() async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND ',' || scopes || ',' LIKE '%,admin,%'") ?? 0
        }
    }
}
