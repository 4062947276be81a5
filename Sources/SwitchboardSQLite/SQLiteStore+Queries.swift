import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// The event with this id in `tenant`.
    public func event(id: String, tenant: TenantID) async throws -> Event? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ? AND tenant_id = ?", arguments: [id, tenant])
                .map(Rows.event)
        }
    }

    /// A page of events, newest first (ties in insertion order, latest first), with the number
    /// of events matching the filters.
    ///
    /// The page is a window over an index scanned newest first, so the first pages cost the
    /// same with a million events as with ten; the total is a count over the same index
    /// (linear in the matching events, but reading no table row: the time indexes carry the
    /// type, status and id that the filters test).
    /// `eventType` is an exact name, `prefix.*` (case-sensitive, at least one character after
    /// the dot, as subscriptions match) or `*` (any type). `deliveryStatus` `failed` and
    /// `retrying` start from the partial index of such deliveries, so they cost what they
    /// match, not the history; free text is a scan of the covering time index (no index
    /// serves a substring).
    public func events(_ query: EventQuery) async throws -> Page<Event> {
        let filter = Self.eventFilter(query)
        let count = filter.countFromIndex ?? ("SELECT COUNT(*) FROM events \(filter.conditions)", filter.arguments)
        return try await read { db in
            let total = try Int.fetchOne(db, sql: count.sql, arguments: count.arguments) ?? 0
            let limit = max(0, query.limit)
            let offset = max(0, query.offset)
            // A window in the older half is walked from the oldest end, so the last page of a
            // million events skips as few index entries as the first.
            if offset > total / 2 {
                let fromOldest = max(0, total - offset - limit)
                let windowSize = max(0, min(limit, total - offset))
                let rows = try Row.fetchAll(
                    db, sql: Self.eventPageSQL(filter, oldestFirst: true), arguments: filter.arguments + [windowSize, fromOldest])
                return Page(items: rows.reversed().map(Rows.event), total: total)
            }
            let rows = try Row.fetchAll(db, sql: Self.eventPageSQL(filter), arguments: filter.arguments + [limit, offset])
            return Page(items: rows.map(Rows.event), total: total)
        }
    }

    /// The conditions an event listing's rows must meet, with their arguments.
    struct EventFilter {
        /// Empty, or a `WHERE` clause on the events' columns.
        var conditions = ""
        var arguments: StatementArguments = []
        /// The count of matching events without counting them: kept per tenant when nothing
        /// but the tenant filters, or read from a partial index alone when the only other
        /// filter is a delivery status that index lists.
        var countFromIndex: (sql: String, arguments: StatementArguments)?
    }

    /// A page of events: the window is chosen on an index alone (no row is read for the events
    /// skipped by the offset, nor for those sorted out), then only its rows are read.
    /// Arguments: the filter's, then limit and offset (counted from the oldest when
    /// `oldestFirst`, which also orders the rows oldest first).
    static func eventPageSQL(_ filter: EventFilter, oldestFirst: Bool = false) -> String {
        let order = oldestFirst ? "created_at, seq" : "created_at DESC, seq DESC"
        return """
            SELECT * FROM events WHERE seq IN (
                SELECT seq FROM events \(filter.conditions) ORDER BY \(order) LIMIT ? OFFSET ?)
            ORDER BY \(order)
            """
    }

    /// The ids of events with a delivery to one endpoint, from the per-endpoint indexes of each
    /// state (a delivery is in one at a time). Arguments: the endpoint id, four times.
    static let endpointEventIDsSQL = """
        SELECT event_id FROM deliveries WHERE endpoint_id = ? AND state IN ('pending', 'scheduled')
        UNION ALL SELECT event_id FROM deliveries WHERE endpoint_id = ? AND state = 'paused'
        UNION ALL SELECT event_id FROM deliveries WHERE endpoint_id = ? AND (state = 'succeeded' OR state = 'failed' OR state = 'cancelled')
        UNION ALL SELECT event_id FROM deliveries INDEXED BY deliveries_by_state WHERE state = 'in_flight' AND endpoint_id = ?
        """

    /// The `WHERE` clause and arguments for the filters of `query`.
    static func eventFilter(_ query: EventQuery) -> EventFilter {
        var filter = EventFilter()
        var conditions: [String] = []
        var countOnDeliveries: (sql: String, arguments: StatementArguments)?
        if let tenant = query.tenant {
            conditions.append("tenant_id = ?")
            filter.arguments += [tenant]
        }
        if let status = query.status {
            conditions.append("status = ?")
            filter.arguments += [status.rawValue]
        }
        if let type = query.eventType, type != "*" {
            if type.hasSuffix(".*") {
                // "order.*" matches names after "order." and before "order/" ('/' follows '.'),
                // a range the type index serves, case-sensitive unlike LIKE.
                let prefix = String(type.dropLast())
                conditions.append("event_type > ? AND event_type < ?")
                filter.arguments += [prefix, String(prefix.dropLast()) + "/"]
            } else {
                conditions.append("event_type = ?")
                filter.arguments += [type]
            }
        }
        if let sourceID = query.sourceID {
            conditions.append("source_id = ?")
            filter.arguments += [sourceID]
        }
        if let endpointID = query.endpointID {
            conditions.append("id IN (\(Self.endpointEventIDsSQL))")
            filter.arguments += [endpointID, endpointID, endpointID, endpointID]
        }
        let deliveryIndex: (name: String, condition: String)? =
            switch query.deliveryStatus {
            case .failed: ("deliveries_failed_by_event", "state = 'failed'")
            case .retrying: ("deliveries_retrying_by_event", "state = 'scheduled' AND attempt_count > 0")
            default: nil
            }
        if let deliveryIndex {
            // The partial index lists the matching ids (covering: no delivery row is read); the
            // time index, which carries the id, is walked newest first and probes that list
            // ('+' keeps SQLite from looking each listed id up in the table instead).
            let tenantCondition = query.tenant == nil ? "" : " AND tenant_id = ?"
            let matching = "FROM deliveries INDEXED BY \(deliveryIndex.name) WHERE \(deliveryIndex.condition)\(tenantCondition)"
            let tenantArguments: StatementArguments = query.tenant.map { [$0] } ?? []
            countOnDeliveries = ("SELECT COUNT(DISTINCT event_id) \(matching)", tenantArguments)
            conditions.append("+id IN (SELECT event_id \(matching))")
            filter.arguments += tenantArguments
        } else if let status = query.deliveryStatus?.eventStatus {
            conditions.append("status = ?")
            filter.arguments += [status.rawValue]
        }
        if let since = query.since {
            conditions.append("created_at >= ?")
            filter.arguments += [since.unixSeconds]
        }
        if let until = query.until {
            conditions.append("created_at < ?")
            filter.arguments += [until.unixSeconds]
        }
        for word in query.textWords {
            // LIKE is case-insensitive for ASCII, which types and ids are; '\' escapes the
            // word's own '%' and '_' (every id has a '_').
            conditions.append("(event_type LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')")
            let pattern = "%" + word.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            filter.arguments += [pattern, pattern]
        }
        switch conditions.count - (query.tenant == nil ? 0 : 1) {
        case 0:
            filter.countFromIndex = query.tenant.map { ("SELECT COALESCE(SUM(count), 0) FROM event_counts WHERE tenant_id = ?", [$0]) }
                ?? ("SELECT COALESCE(SUM(count), 0) FROM event_counts", [])
        case 1:
            filter.countFromIndex = countOnDeliveries
        default:
            break
        }
        filter.conditions = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return filter
    }

    /// The delivery with this id in `tenant`.
    public func delivery(id: String, tenant: TenantID) async throws -> Delivery? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE id = ? AND tenant_id = ?", arguments: [id, tenant])
                .map(Rows.delivery)
        }
    }

    /// The event's deliveries, oldest first.
    public func deliveries(eventID: String, tenant: TenantID) async throws -> [Delivery] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM deliveries WHERE event_id = ? AND tenant_id = ? ORDER BY created_at, seq",
                arguments: [eventID, tenant]
            ).map(Rows.delivery)
        }
    }

    /// The delivery's attempts, first attempt first.
    public func attempts(deliveryID: String, tenant: TenantID) async throws -> [Attempt] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM attempts WHERE delivery_id = ? AND tenant_id = ? ORDER BY number, seq",
                arguments: [deliveryID, tenant]
            ).map(Rows.attempt)
        }
    }

    /// Every attempt of the event's deliveries, oldest first.
    public func attempts(eventID: String, tenant: TenantID) async throws -> [Attempt] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM attempts WHERE event_id = ? AND tenant_id = ? ORDER BY created_at, seq",
                arguments: [eventID, tenant]
            ).map(Rows.attempt)
        }
    }

    /// Scheduled and pending deliveries soonest first, then paused ones in the order they would
    /// resume; every tenant's when `tenant` is `nil`.
    public func retryQueue(tenant: TenantID?, limit: Int) async throws -> [Delivery] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM deliveries
                    WHERE state IN ('scheduled', 'pending', 'paused') AND (?1 IS NULL OR tenant_id = ?1)
                    ORDER BY state = 'paused', CASE WHEN state = 'paused' THEN NULL ELSE next_attempt_at END, seq
                    LIMIT ?2
                    """,
                arguments: [tenant, max(0, limit)]
            ).map(Rows.delivery)
        }
    }
}
