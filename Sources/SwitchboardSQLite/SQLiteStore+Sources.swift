import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Stores a new source; throws ``StoreError/conflict(_:)`` when its id or slug is taken.
    public func insertSource(_ source: Source) async throws {
        try await write(conflict: "source \(source.id)") { db in
            try db.execute(
                sql: """
                    INSERT INTO sources (\(Rows.sourceColumns)) VALUES (:id, :tenant_id, :name, :provider, :signing_secret,
                    :previous_signing_secret, :previous_secret_expires_at, :slug, :hmac_options, :retention_days,
                    :created_at, :updated_at)
                    """,
                arguments: Rows.sourceArguments(source, sealer: self.sealer))
        }
    }

    public func source(id: String, tenant: TenantID) async throws -> Source? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sources WHERE id = ? AND tenant_id = ?", arguments: [id, tenant]).map { try Rows.source($0, sealer: self.sealer) }
        }
    }

    public func source(slug: String) async throws -> Source? {
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sources WHERE slug = ?"), arguments: [slug]).map { try Rows.source($0, sealer: self.sealer) }
        }
    }

    public func sources(tenant: TenantID?) async throws -> [Source] {
        try await read { db in
            if let tenant {
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM sources WHERE tenant_id = ? ORDER BY created_at, id", arguments: [tenant]
                ).map { try Rows.source($0, sealer: self.sealer) }
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM sources ORDER BY created_at, id").map { try Rows.source($0, sealer: self.sealer) }
        }
    }

    /// Writes the source's configuration; its counters are only ever changed by the store itself.
    public func updateSource(_ source: Source) async throws {
        let changed = try await write { db in
            try db.execute(
                sql: """
                    UPDATE sources SET name = :name, signing_secret = :signing_secret,
                    previous_signing_secret = :previous_signing_secret, previous_secret_expires_at = :previous_secret_expires_at,
                    hmac_options = :hmac_options, retention_days = :retention_days, updated_at = :updated_at
                    WHERE id = :id AND tenant_id = :tenant_id
                    """,
                arguments: Rows.sourceArguments(source, sealer: self.sealer))
            return db.changesCount
        }
        if changed == 0 { throw StoreError.notFound("source \(source.id)") }
    }

    public func deleteSource(id: String, tenant: TenantID) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM sources WHERE id = ? AND tenant_id = ?", arguments: [id, tenant])
            return db.changesCount > 0
        }
    }

    public func recordSourceRejection(id: String, reason: String, at date: Date) async throws -> Source? {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE sources SET rejected_count = rejected_count + 1, last_rejection_reason = ?, last_rejected_at = ?
                    WHERE id = ?
                    """,
                arguments: [String(reason.prefix(500)), date.unixSeconds, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM sources WHERE id = ?", arguments: [id]).map { try Rows.source($0, sealer: self.sealer) }
        }
    }
}

extension SQLiteStore {
    /// Adds each tally's count to its source in one transaction.
    public func recordSourceRejections(_ tallies: [SourceRejectionTally]) async throws -> [Source] {
        guard !tallies.isEmpty else { return [] }
        return try await write { db in
            var sources: [Source] = []
            for tally in tallies {
                try db.execute(
                    sql: """
                        UPDATE sources SET rejected_count = rejected_count + ?, last_rejection_reason = ?, last_rejected_at = ?
                        WHERE id = ?
                        """,
                    arguments: [max(1, tally.count), String(tally.lastReason.prefix(500)), tally.lastRejectedAt.unixSeconds, tally.sourceID])
                if let source = try Row.fetchOne(db, sql: "SELECT * FROM sources WHERE id = ?", arguments: [tally.sourceID]).map({ try Rows.source($0, sealer: self.sealer) }) {
                    sources.append(source)
                }
            }
            return sources
        }
    }
}
