import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Deletes one batch of expired events; their deliveries and attempts go with them
    /// (`ON DELETE CASCADE`), counted first for the result.
    ///
    /// Candidates are read oldest first on `events_by_time`, bounded by the shortest retention
    /// in force, so a pass touches only rows that may be expired.
    public func purgeExpiredEvents(_ request: PurgeRequest) async throws -> PurgeResult {
        let now = request.now.unixSeconds
        return try await write { db in
            let shortestDays = min(
                request.defaultRetentionDays,
                try Int.fetchOne(db, sql: "SELECT MIN(retention_days) FROM sources WHERE retention_days IS NOT NULL")
                    ?? request.defaultRetentionDays)
            let seqs = try Int64.fetchAll(
                db,
                sql: """
                    SELECT e.seq FROM events e LEFT JOIN sources s ON s.id = e.source_id
                    WHERE e.created_at < :earliestCutoff
                      AND e.created_at < :now - COALESCE(s.retention_days, :defaultDays) * 86400.0
                      AND NOT EXISTS (
                          SELECT 1 FROM deliveries d WHERE d.event_id = e.id
                          AND d.state IN ('pending', 'in_flight', 'scheduled', 'paused'))
                    ORDER BY e.created_at LIMIT :limit
                    """,
                arguments: [
                    "earliestCutoff": now - Double(shortestDays) * 86400, "now": now,
                    "defaultDays": request.defaultRetentionDays, "limit": request.limit,
                ])
            guard !seqs.isEmpty else { return PurgeResult() }
            let list = seqs.map(String.init).joined(separator: ",")
            let ids = "SELECT id FROM events WHERE seq IN (\(list))"
            let deliveries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deliveries WHERE event_id IN (\(ids))") ?? 0
            let attempts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempts WHERE event_id IN (\(ids))") ?? 0
            try db.execute(sql: "DELETE FROM events WHERE seq IN (\(list))")
            return PurgeResult(events: seqs.count, deliveries: deliveries, attempts: attempts)
        }
    }
}
