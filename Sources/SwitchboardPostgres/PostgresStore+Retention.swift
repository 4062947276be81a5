import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Deletes one batch of expired events, oldest first; their deliveries, attempts and
    /// idempotency keys go with them (`ON DELETE CASCADE`), counted first for the result.
    /// Rows another node is purging at the same time are skipped (`SKIP LOCKED`).
    public func purgeExpiredEvents(_ request: PurgeRequest) async throws -> PurgeResult {
        let now = request.now.unixSeconds
        return try await transaction { connection in
            let shortest = try await connection.rows(
                "SELECT MIN(retention_days) FROM sources WHERE retention_days IS NOT NULL", logger
            ).first?.decode(Int?.self)
            let shortestDays = min(request.defaultRetentionDays, shortest ?? request.defaultRetentionDays)
            let earliestCutoff = now - Double(shortestDays) * 86400
            let ids = try await connection.rows(
                """
                SELECT e.id FROM events e LEFT JOIN sources s ON s.id = e.source_id
                WHERE e.created_at < \(earliestCutoff)
                  AND e.created_at < \(now) - COALESCE(s.retention_days, \(request.defaultRetentionDays)) * 86400.0
                  AND NOT EXISTS (
                      SELECT 1 FROM deliveries d WHERE d.event_id = e.id
                      AND d.state IN ('pending', 'in_flight', 'scheduled', 'paused'))
                ORDER BY e.created_at LIMIT \(request.limit)
                FOR UPDATE OF e SKIP LOCKED
                """, logger
            ).map { try $0.decode(String.self) }
            guard !ids.isEmpty else { return PurgeResult() }
            let deliveries = try await connection.rows(
                "SELECT COUNT(*) FROM deliveries WHERE event_id = ANY(\(ids))", logger).first?.decode(Int.self) ?? 0
            let attempts = try await connection.rows(
                "SELECT COUNT(*) FROM attempts WHERE event_id = ANY(\(ids))", logger).first?.decode(Int.self) ?? 0
            try await connection.rows("DELETE FROM events WHERE id = ANY(\(ids))", logger)
            return PurgeResult(events: ids.count, deliveries: deliveries, attempts: attempts)
        }
    }
}
