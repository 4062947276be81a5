import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Deliveries failed for good or scheduled after a failed attempt, newest `updated_at`
    /// first, with their event's type and endpoint's URL.
    public func failedDeliveries(tenant: TenantID?, limit: Int) async throws -> [FailedDelivery] {
        try await rows(
            """
            SELECT d.*, e.event_type AS failure_event_type, ep.url AS failure_endpoint_url
            FROM deliveries d JOIN events e ON e.id = d.event_id LEFT JOIN endpoints ep ON ep.id = d.endpoint_id
            WHERE (d.state = 'failed' OR (d.state = 'scheduled' AND d.attempt_count > 0))
                AND (\(tenant)::text IS NULL OR d.tenant_id = \(tenant))
            ORDER BY d.updated_at DESC, d.seq DESC LIMIT \(max(0, limit))
            """
        ).map { row in
            let r = row.makeRandomAccess()
            return FailedDelivery(
                delivery: try PostgresRows.delivery(row), eventType: try r.string("failure_event_type"),
                endpointURL: try r.optionalString("failure_endpoint_url"))
        }
    }

    /// The retry queue per endpoint, from one grouped pass by endpoint and state.
    public func queueSummary(tenant: TenantID?) async throws -> [QueueGroup] {
        let rows = try await rows(
            """
            SELECT q.endpoint_id, COALESCE(ep.tenant_id, ''), COALESCE(ep.url, ''), q.state, q.count, q.next_due
            FROM (
                SELECT endpoint_id, state, COUNT(*) AS count, MIN(next_attempt_at) AS next_due FROM deliveries
                WHERE state IN ('pending', 'scheduled', 'paused') GROUP BY endpoint_id, state
            ) q LEFT JOIN endpoints ep ON ep.id = q.endpoint_id
            WHERE \(tenant)::text IS NULL OR ep.tenant_id = \(tenant)
            """)
        var groups: [String: QueueGroup] = [:]
        for row in rows {
            let (endpointID, tenantID, url, state, count, due) = try row.decode((String, String, String, String, Int, Double?).self)
            var group = groups[endpointID]
                ?? QueueGroup(endpointID: endpointID, tenantID: tenantID, url: url, waiting: 0, paused: 0, scheduled: 0, nextDue: nil)
            switch state {
            case "pending": group.waiting = count
            case "scheduled": group.scheduled = count
            default: group.paused = count
            }
            if state != "paused", let due {
                let date = Date(timeIntervalSince1970: due)
                group.nextDue = group.nextDue.map { min($0, date) } ?? date
            }
            groups[endpointID] = group
        }
        return groups.values.sorted { ($0.total, $1.endpointID) > ($1.total, $0.endpointID) }
    }

    /// One endpoint's queue, soonest first, then its paused deliveries in insertion order.
    public func queuedDeliveries(endpointID: String, tenant: TenantID?, limit: Int) async throws -> [Delivery] {
        let limit = max(0, limit)
        var rows = try await rows(
            """
            SELECT * FROM deliveries WHERE endpoint_id = \(endpointID) AND state IN ('pending', 'scheduled')
            AND (\(tenant)::text IS NULL OR tenant_id = \(tenant)) ORDER BY next_attempt_at, seq LIMIT \(limit)
            """)
        if rows.count < limit {
            rows += try await self.rows(
                """
                SELECT * FROM deliveries WHERE endpoint_id = \(endpointID) AND state = 'paused'
                AND (\(tenant)::text IS NULL OR tenant_id = \(tenant)) ORDER BY created_at, seq LIMIT \(limit - rows.count)
                """)
        }
        return try rows.map(PostgresRows.delivery)
    }

    /// What a whole id names, found by its prefix with one lookup on the table's unique id.
    public func locate(id: String, tenant: TenantID?) async throws -> LocatedID? {
        guard let separator = id.firstIndex(of: "_"), let prefix = Identifier.Prefix(rawValue: String(id[..<separator])) else {
            return nil
        }
        switch prefix {
        case .event:
            return try await rows("SELECT tenant_id FROM events WHERE id = \(id) AND (\(tenant)::text IS NULL OR tenant_id = \(tenant))")
                .first.map { LocatedID(kind: .event, id: id, tenantID: try $0.decode(String.self), eventID: id) }
        case .delivery:
            return try await rows(
                "SELECT tenant_id, event_id, endpoint_id FROM deliveries WHERE id = \(id) AND (\(tenant)::text IS NULL OR tenant_id = \(tenant))"
            ).first.map { row in
                let (tenantID, eventID, endpointID) = try row.decode((String, String, String).self)
                return LocatedID(kind: .delivery, id: id, tenantID: tenantID, eventID: eventID, endpointID: endpointID, deliveryID: id)
            }
        case .attempt:
            return try await rows(
                """
                SELECT tenant_id, event_id, endpoint_id, delivery_id FROM attempts
                WHERE id = \(id) AND (\(tenant)::text IS NULL OR tenant_id = \(tenant))
                """
            ).first.map { row in
                let (tenantID, eventID, endpointID, deliveryID) = try row.decode((String, String, String, String).self)
                return LocatedID(kind: .attempt, id: id, tenantID: tenantID, eventID: eventID, endpointID: endpointID, deliveryID: deliveryID)
            }
        case .endpoint:
            return try await rows("SELECT tenant_id FROM endpoints WHERE id = \(id) AND (\(tenant)::text IS NULL OR tenant_id = \(tenant))")
                .first.map { LocatedID(kind: .endpoint, id: id, tenantID: try $0.decode(String.self), endpointID: id) }
        case .source:
            return try await rows("SELECT tenant_id FROM sources WHERE id = \(id) AND (\(tenant)::text IS NULL OR tenant_id = \(tenant))")
                .first.map { LocatedID(kind: .source, id: id, tenantID: try $0.decode(String.self)) }
        default:
            return nil
        }
    }

    /// Requeues the event's failed deliveries to enabled endpoints, oldest first, due at `date`
    /// (attempt count kept), and recomputes the event's status, in one transaction.
    public func requeueFailedDeliveries(eventID: String, tenant: TenantID, at date: Date) async throws -> [Delivery] {
        try await transaction { connection in
            let rows = try await connection.rows(
                """
                WITH chosen AS (
                    SELECT d.seq FROM deliveries d JOIN endpoints ep ON ep.id = d.endpoint_id AND ep.enabled
                    WHERE d.event_id = \(eventID) AND d.tenant_id = \(tenant) AND d.state = 'failed' FOR UPDATE OF d)
                UPDATE deliveries d SET state = 'pending', next_attempt_at = \(date.unixSeconds), lease_expires_at = NULL,
                updated_at = \(date.unixSeconds) FROM chosen WHERE d.seq = chosen.seq RETURNING d.*
                """, logger)
            let requeued = try rows.map { row in
                (delivery: try PostgresRows.delivery(row), seq: try row.makeRandomAccess()["seq"].decode(Int64.self))
            }.sorted { $0.delivery.createdAt != $1.delivery.createdAt ? $0.delivery.createdAt < $1.delivery.createdAt : $0.seq < $1.seq }
                .map(\.delivery)
            guard !requeued.isEmpty else { return [] }
            _ = try await Self.refreshEventStatuses(connection, eventIDs: [eventID], logger)
            try await wakeOthers(connection)
            return requeued
        }
    }
}
