import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Deliveries failed for good or scheduled after a failed attempt, newest `updated_at`
    /// first, with their event's type and endpoint's URL.
    ///
    /// Walks the partial index `deliveries_failures` newest first and stops after `limit`
    /// rows (of `tenant`, when given), so its cost does not grow with the history.
    public func failedDeliveries(tenant: TenantID?, limit: Int) async throws -> [FailedDelivery] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, e.event_type AS failure_event_type, ep.url AS failure_endpoint_url
                    FROM deliveries d INDEXED BY deliveries_failures
                    JOIN events e ON e.id = d.event_id
                    LEFT JOIN endpoints ep ON ep.id = d.endpoint_id
                    WHERE (d.state = 'failed' OR (d.state = 'scheduled' AND d.attempt_count > 0))
                        AND (?1 IS NULL OR d.tenant_id = ?1)
                    ORDER BY d.updated_at DESC, d.seq DESC
                    LIMIT ?2
                    """,
                arguments: [tenant, max(0, limit)]
            ).map { row in
                FailedDelivery(delivery: Rows.delivery(row), eventType: row["failure_event_type"], endpointURL: row["failure_endpoint_url"])
            }
        }
    }

    /// The retry queue per endpoint, from two grouped passes by endpoint over covering partial
    /// indexes (no table row is read): `deliveries_waiting` counts pending and scheduled
    /// deliveries and finds the earliest due date, `deliveries_paused` counts paused ones. Joined
    /// with the endpoints for URL and tenant.
    public func queueSummary(tenant: TenantID?) async throws -> [QueueGroup] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: Self.queueSummarySQL, arguments: [tenant])
            var groups: [String: QueueGroup] = [:]
            var order: [String] = []
            for row in rows {
                let endpointID: String = row["endpoint_id"]
                if groups[endpointID] == nil {
                    order.append(endpointID)
                    groups[endpointID] = QueueGroup(
                        endpointID: endpointID, tenantID: row["tenant_id"], url: row["url"], waiting: 0, paused: 0, scheduled: 0, nextDue: nil)
                }
                groups[endpointID]?.waiting += row["waiting"] as Int
                groups[endpointID]?.scheduled += row["scheduled"] as Int
                groups[endpointID]?.paused += row["paused"] as Int
                if let due = row.optionalDate("next_due") {
                    let earliest = groups[endpointID]?.nextDue.map { min($0, due) } ?? due
                    groups[endpointID]?.nextDue = earliest
                }
            }
            return order.compactMap { groups[$0] }.sorted { ($0.total, $1.endpointID) > ($1.total, $0.endpointID) }
        }
    }

    /// The queue summary's query. Argument: the tenant, or `NULL` for all.
    static let queueSummarySQL = """
        SELECT q.endpoint_id, COALESCE(ep.tenant_id, '') AS tenant_id, COALESCE(ep.url, '') AS url,
            q.waiting, q.scheduled, q.paused, q.next_due
        FROM (
            SELECT endpoint_id, SUM(state = 'pending') AS waiting, SUM(state = 'scheduled') AS scheduled,
                0 AS paused, MIN(next_attempt_at) AS next_due
            FROM deliveries INDEXED BY deliveries_waiting
            WHERE state IN ('pending', 'scheduled')
            GROUP BY endpoint_id
            UNION ALL
            SELECT endpoint_id, 0, 0, COUNT(*), NULL
            FROM deliveries INDEXED BY deliveries_paused
            WHERE state = 'paused'
            GROUP BY endpoint_id
        ) q
        LEFT JOIN endpoints ep ON ep.id = q.endpoint_id
        WHERE ?1 IS NULL OR ep.tenant_id = ?1
        """

    /// One endpoint's queue, soonest first, then its paused deliveries in insertion order:
    /// two index walks (`deliveries_waiting`, then `deliveries_paused`) that stop after
    /// `limit` rows.
    public func queuedDeliveries(endpointID: String, tenant: TenantID?, limit: Int) async throws -> [Delivery] {
        try await read { db in
            let limit = max(0, limit)
            var rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM deliveries
                    WHERE endpoint_id = ?1 AND state IN ('pending', 'scheduled') AND (?2 IS NULL OR tenant_id = ?2)
                    ORDER BY next_attempt_at, seq LIMIT ?3
                    """,
                arguments: [endpointID, tenant, limit])
            if rows.count < limit {
                rows += try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM deliveries
                        WHERE endpoint_id = ?1 AND state = 'paused' AND (?2 IS NULL OR tenant_id = ?2)
                        ORDER BY created_at, seq LIMIT ?3
                        """,
                    arguments: [endpointID, tenant, limit - rows.count])
            }
            return rows.map(Rows.delivery)
        }
    }

    /// What a whole id names, found by its prefix with one lookup on the table's unique id.
    public func locate(id: String, tenant: TenantID?) async throws -> LocatedID? {
        guard let separator = id.firstIndex(of: "_"), let prefix = Identifier.Prefix(rawValue: String(id[..<separator])) else {
            return nil
        }
        return try await read { db in
            let arguments: StatementArguments = [id, tenant]
            switch prefix {
            case .event:
                return try Row.fetchOne(db, sql: "SELECT tenant_id FROM events WHERE id = ?1 AND (?2 IS NULL OR tenant_id = ?2)", arguments: arguments)
                    .map { LocatedID(kind: .event, id: id, tenantID: $0["tenant_id"], eventID: id) }
            case .delivery:
                return try Row.fetchOne(
                    db, sql: "SELECT tenant_id, event_id, endpoint_id FROM deliveries WHERE id = ?1 AND (?2 IS NULL OR tenant_id = ?2)",
                    arguments: arguments
                ).map {
                    LocatedID(kind: .delivery, id: id, tenantID: $0["tenant_id"], eventID: $0["event_id"], endpointID: $0["endpoint_id"], deliveryID: id)
                }
            case .attempt:
                return try Row.fetchOne(
                    db,
                    sql: "SELECT tenant_id, event_id, endpoint_id, delivery_id FROM attempts WHERE id = ?1 AND (?2 IS NULL OR tenant_id = ?2)",
                    arguments: arguments
                ).map {
                    LocatedID(
                        kind: .attempt, id: id, tenantID: $0["tenant_id"], eventID: $0["event_id"], endpointID: $0["endpoint_id"],
                        deliveryID: $0["delivery_id"])
                }
            case .endpoint:
                return try Row.fetchOne(db, sql: "SELECT tenant_id FROM endpoints WHERE id = ?1 AND (?2 IS NULL OR tenant_id = ?2)", arguments: arguments)
                    .map { LocatedID(kind: .endpoint, id: id, tenantID: $0["tenant_id"], endpointID: id) }
            case .source:
                return try Row.fetchOne(db, sql: "SELECT tenant_id FROM sources WHERE id = ?1 AND (?2 IS NULL OR tenant_id = ?2)", arguments: arguments)
                    .map { LocatedID(kind: .source, id: id, tenantID: $0["tenant_id"]) }
            default:
                return nil
            }
        }
    }
}
