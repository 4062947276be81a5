import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Stores a new source; throws ``StoreError/conflict(_:)`` when its id or slug is taken.
    public func insertSource(_ source: Source) async throws {
        let secret = try sealer.seal(source.signingSecret.reveal())
        let previous = try source.previousSigningSecret.map { try sealer.seal($0.reveal()) }
        let options = PostgresRows.json(source.hmacOptions)
        try await transaction(conflict: "source \(source.id)") { connection in
            try await connection.rows(
                """
                INSERT INTO sources (id, tenant_id, name, provider, signing_secret, previous_signing_secret,
                previous_secret_expires_at, slug, hmac_options, retention_days, created_at, updated_at)
                VALUES (\(source.id), \(source.tenantID), \(source.name), \(source.provider.rawValue), \(secret), \(previous),
                \(source.previousSecretExpiresAt?.unixSeconds), \(source.slug), \(options), \(source.retentionDays),
                \(source.createdAt.unixSeconds), \(source.updatedAt.unixSeconds))
                """, logger)
        }
    }

    public func source(id: String, tenant: TenantID) async throws -> Source? {
        try await rows("SELECT * FROM sources WHERE id = \(id) AND tenant_id = \(tenant)").first.map { try PostgresRows.source($0, sealer: sealer) }
    }

    public func source(slug: String) async throws -> Source? {
        try await rows("SELECT * FROM sources WHERE slug = \(slug)").first.map { try PostgresRows.source($0, sealer: sealer) }
    }

    public func sources(tenant: TenantID?) async throws -> [Source] {
        let rows: [PostgresRow]
        if let tenant {
            rows = try await self.rows("SELECT * FROM sources WHERE tenant_id = \(tenant) ORDER BY created_at, id")
        } else {
            rows = try await self.rows("SELECT * FROM sources ORDER BY created_at, id")
        }
        return try rows.map { try PostgresRows.source($0, sealer: sealer) }
    }

    /// Writes the source's configuration; its counters are only ever changed by the store itself.
    public func updateSource(_ source: Source) async throws {
        let secret = try sealer.seal(source.signingSecret.reveal())
        let previous = try source.previousSigningSecret.map { try sealer.seal($0.reveal()) }
        let options = PostgresRows.json(source.hmacOptions)
        let rows = try await rows(
            """
            UPDATE sources SET name = \(source.name), signing_secret = \(secret), previous_signing_secret = \(previous),
            previous_secret_expires_at = \(source.previousSecretExpiresAt?.unixSeconds), hmac_options = \(options),
            retention_days = \(source.retentionDays), updated_at = \(source.updatedAt.unixSeconds)
            WHERE id = \(source.id) AND tenant_id = \(source.tenantID) RETURNING id
            """)
        if rows.isEmpty { throw StoreError.notFound("source \(source.id)") }
    }

    public func deleteSource(id: String, tenant: TenantID) async throws -> Bool {
        try await !rows("DELETE FROM sources WHERE id = \(id) AND tenant_id = \(tenant) RETURNING id").isEmpty
    }

    public func recordSourceRejection(id: String, reason: String, at date: Date) async throws -> Source? {
        try await recordSourceRejections([SourceRejectionTally(sourceID: id, count: 1, lastReason: reason, lastRejectedAt: date)]).first
    }

    /// Adds each tally's count to its source in one transaction.
    public func recordSourceRejections(_ tallies: [SourceRejectionTally]) async throws -> [Source] {
        guard !tallies.isEmpty else { return [] }
        let rows = try await transaction { connection in
            var rows: [PostgresRow] = []
            for tally in tallies {
                let reason = String(tally.lastReason.prefix(500))
                rows += try await connection.rows(
                    """
                    UPDATE sources SET rejected_count = rejected_count + \(max(1, tally.count)), last_rejection_reason = \(reason),
                    last_rejected_at = \(tally.lastRejectedAt.unixSeconds) WHERE id = \(tally.sourceID) RETURNING *
                    """, logger)
            }
            return rows
        }
        return try rows.map { try PostgresRows.source($0, sealer: sealer) }
    }
}
