import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Stores a key; throws ``StoreError/conflict(_:)`` when its id or hash is already stored.
    public func insertAPIKey(_ key: APIKey) async throws {
        let scopes = PostgresRows.scopes(key.scopes)
        let revokedAt = key.revokedAt?.unixSeconds
        try await transaction(conflict: "api key \(key.id)") { connection in
            try await connection.rows(
                """
                INSERT INTO api_keys (id, tenant_id, name, scopes, key_hash, key_prefix, created_at, revoked_at)
                VALUES (\(key.id), \(key.tenantID), \(key.name), \(scopes), \(key.keyHash), \(key.keyPrefix),
                \(key.createdAt.unixSeconds), \(revokedAt))
                """, logger)
        }
    }

    /// The unrevoked key with this hash, in any tenant.
    public func apiKey(hash: String) async throws -> APIKey? {
        try await rows("SELECT * FROM api_keys WHERE key_hash = \(hash) AND revoked_at IS NULL").first.map(PostgresRows.apiKey)
    }

    /// Keys of `tenant`, revoked ones included, oldest first; every tenant's when `nil`.
    public func apiKeys(tenant: TenantID?) async throws -> [APIKey] {
        let rows: [PostgresRow]
        if let tenant {
            rows = try await self.rows("SELECT * FROM api_keys WHERE tenant_id = \(tenant) ORDER BY created_at, id")
        } else {
            rows = try await self.rows("SELECT * FROM api_keys ORDER BY created_at, id")
        }
        return try rows.map(PostgresRows.apiKey)
    }

    /// Marks a key revoked; `false` when there is no such unrevoked key in `tenant` (any tenant when `nil`).
    public func revokeAPIKey(id: String, tenant: TenantID?, at date: Date) async throws -> Bool {
        let rows = try await rows(
            """
            UPDATE api_keys SET revoked_at = \(date.unixSeconds)
            WHERE id = \(id) AND (\(tenant)::text IS NULL OR tenant_id = \(tenant)) AND revoked_at IS NULL RETURNING id
            """)
        return !rows.isEmpty
    }

    /// The advisory lock under which the first admin key is created ("sbadmin").
    static let firstAdminKeyLock: Int64 = 0x73_6261_646D_696E

    /// Stores `key` when no unrevoked admin key exists, checked and inserted in one
    /// transaction under an advisory lock: of several nodes starting at once on an empty
    /// database, the first creates the key and the others, waiting on the lock, then find it.
    public func insertFirstAdminKey(_ key: APIKey) async throws -> Bool {
        let scopes = PostgresRows.scopes(key.scopes)
        return try await transaction(conflict: "api key \(key.id)") { connection in
            try await connection.rows("SELECT pg_advisory_xact_lock(\(Self.firstAdminKeyLock))", logger)
            let existing = try await connection.rows(
                "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND ',' || scopes || ',' LIKE '%,admin,%'", logger
            ).first?.decode(Int.self) ?? 0
            guard existing == 0 else { return false }
            try await connection.rows(
                """
                INSERT INTO api_keys (id, tenant_id, name, scopes, key_hash, key_prefix, created_at, revoked_at)
                VALUES (\(key.id), \(key.tenantID), \(key.name), \(scopes), \(key.keyHash), \(key.keyPrefix),
                \(key.createdAt.unixSeconds), \(key.revokedAt?.unixSeconds))
                """, logger)
            return true
        }
    }

    /// Number of unrevoked keys with the admin scope, in every tenant.
    public func activeAdminKeyCount() async throws -> Int {
        let rows = try await rows(
            "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND ',' || scopes || ',' LIKE '%,admin,%'")
        return try rows.first?.decode(Int.self) ?? 0
    }
}
