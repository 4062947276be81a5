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
    /// (linear in the matching events, but reading no table row).
    /// `eventType` is an exact name, `prefix.*` (case-sensitive, at least one character after
    /// the dot, as subscriptions match) or `*` (any type). `deliveryStatus` `failed` and
    /// `retrying` read the events whose ids a partial index of deliveries lists; free text is
    /// a scan of the events the other filters leave (no index serves a substring).
    public func events(_ query: EventQuery) async throws -> Page<Event> {
        let filter = Self.eventFilter(query)
        let pageArguments = filter.arguments + [max(0, query.limit), max(0, query.offset)]
        return try await read { db in
            let rows = try Row.fetchAll(db, sql: Self.eventPageSQL(filter.sql), arguments: pageArguments)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events \(filter.sql)", arguments: filter.arguments) ?? 0
            return Page(items: rows.map(Rows.event), total: total)
        }
    }

    /// A page of events: the window is chosen on an index alone (no row is read for the events
    /// skipped by the offset, nor for those sorted out), then only its rows are read.
    /// Arguments: the filter's, then limit and offset.
    static func eventPageSQL(_ filter: String) -> String {
        """
        SELECT * FROM events WHERE seq IN (
            SELECT seq FROM events \(filter) ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?)
        ORDER BY created_at DESC, seq DESC
        """
    }

    /// The `WHERE` clause and arguments for the filters of `query`.
    static func eventFilter(_ query: EventQuery) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let tenant = query.tenant {
            conditions.append("tenant_id = ?")
            arguments += [tenant]
        }
        if let status = query.status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        if let type = query.eventType, type != "*" {
            if type.hasSuffix(".*") {
                // "order.*" matches names after "order." and before "order/" ('/' follows '.'),
                // a range the type index serves, case-sensitive unlike LIKE.
                let prefix = String(type.dropLast())
                conditions.append("event_type > ? AND event_type < ?")
                arguments += [prefix, String(prefix.dropLast()) + "/"]
            } else {
                conditions.append("event_type = ?")
                arguments += [type]
            }
        }
        if let sourceID = query.sourceID {
            conditions.append("source_id = ?")
            arguments += [sourceID]
        }
        if let endpointID = query.endpointID {
            conditions.append("id IN (SELECT event_id FROM deliveries WHERE endpoint_id = ?)")
            arguments += [endpointID]
        }
        switch query.deliveryStatus {
        case .failed:
            // The partial indexes list exactly these events' ids (covering: no delivery row is read).
            conditions.append("id IN (SELECT event_id FROM deliveries INDEXED BY deliveries_failed_by_event WHERE state = 'failed')")
        case .retrying:
            conditions.append(
                "id IN (SELECT event_id FROM deliveries INDEXED BY deliveries_retrying_by_event WHERE state = 'scheduled' AND attempt_count > 0)")
        case .some(let word):
            if let status = word.eventStatus {
                conditions.append("status = ?")
                arguments += [status.rawValue]
            }
        case nil:
            break
        }
        if let since = query.since {
            conditions.append("created_at >= ?")
            arguments += [since.unixSeconds]
        }
        if let until = query.until {
            conditions.append("created_at < ?")
            arguments += [until.unixSeconds]
        }
        for word in query.textWords {
            // Types and ids are ASCII, so SQLite's ASCII lower() matches Swift's lowercased().
            conditions.append("(instr(lower(event_type), ?) > 0 OR instr(lower(id), ?) > 0)")
            arguments += [word, word]
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
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
