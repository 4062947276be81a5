import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Stores a key; throws ``StoreError/conflict(_:)`` when its id or hash is already stored.
    public func insertAPIKey(_ key: APIKey) async throws {
        try await write(conflict: "api key \(key.id)") { db in
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, tenant_id, name, scopes, key_hash, key_prefix, created_at, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.id, key.tenantID, key.name, Rows.scopes(key.scopes), key.keyHash, key.keyPrefix,
                    key.createdAt.unixSeconds, key.revokedAt?.unixSeconds,
                ])
        }
    }

    /// The unrevoked key with this hash, in any tenant.
    public func apiKey(hash: String) async throws -> APIKey? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", arguments: [hash]
            ).map(Rows.apiKey)
        }
    }

    /// Keys of `tenant`, revoked ones included, oldest first; every tenant's when `nil`.
    public func apiKeys(tenant: TenantID?) async throws -> [APIKey] {
        try await read { db in
            if let tenant {
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id", arguments: [tenant]
                ).map(Rows.apiKey)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, id").map(Rows.apiKey)
        }
    }

    /// Marks a key revoked; `false` when there is no such unrevoked key in `tenant` (any tenant when `nil`).
    public func revokeAPIKey(id: String, tenant: TenantID?, at date: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND (?3 IS NULL OR tenant_id = ?3) AND revoked_at IS NULL",
                arguments: [date.unixSeconds, id, tenant])
            return db.changesCount > 0
        }
    }

    /// Number of unrevoked keys with the admin scope, in every tenant.
    public func activeAdminKeyCount() async throws -> Int {
        try await read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND ',' || scopes || ',' LIKE '%,admin,%'"
            ) ?? 0
        }
    }
}
