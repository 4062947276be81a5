import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// The event with this id in `tenant`.
    public func event(id: String, tenant: TenantID) async throws -> Event? {
        try await rows("SELECT * FROM events WHERE id = \(id) AND tenant_id = \(tenant)").first.map(PostgresRows.event)
    }

    /// A page of events, newest first (ties latest inserted first), with the number matching.
    /// `eventType` is an exact name, `prefix.*` (case-sensitive) or `*`.
    public func events(_ query: EventQuery) async throws -> Page<Event> {
        var conditions: [String] = []
        var bindings = PostgresBindings()
        func bind(_ value: String) -> String {
            bindings.append(value)
            return "$\(bindings.count)"
        }
        if let tenant = query.tenant { conditions.append("tenant_id = \(bind(tenant))") }
        if let status = query.status { conditions.append("status = \(bind(status.rawValue))") }
        if let type = query.eventType, type != "*" {
            if type.hasSuffix(".*") {
                // "order.*" matches names after "order.", at least one character longer.
                let prefix = String(type.dropLast())
                let placeholder = bind(prefix)
                conditions.append("starts_with(event_type, \(placeholder)) AND event_type <> \(placeholder)")
            } else {
                conditions.append("event_type = \(bind(type))")
            }
        }
        if let sourceID = query.sourceID { conditions.append("source_id = \(bind(sourceID))") }
        if let endpointID = query.endpointID {
            conditions.append("id IN (SELECT event_id FROM deliveries WHERE endpoint_id = \(bind(endpointID)))")
        }
        switch query.deliveryStatus {
        case .failed:
            conditions.append("id IN (SELECT event_id FROM deliveries WHERE state = 'failed')")
        case .retrying:
            conditions.append("id IN (SELECT event_id FROM deliveries WHERE state = 'scheduled' AND attempt_count > 0)")
        case .some(let word):
            if let status = word.eventStatus { conditions.append("status = \(bind(status.rawValue))") }
        case nil:
            break
        }
        func bind(_ value: Double) -> String {
            bindings.append(value)
            return "$\(bindings.count)"
        }
        if let since = query.since { conditions.append("created_at >= \(bind(since.unixSeconds))") }
        if let until = query.until { conditions.append("created_at < \(bind(until.unixSeconds))") }
        for word in query.textWords {
            let placeholder = bind(word)
            conditions.append("(strpos(lower(event_type), \(placeholder)) > 0 OR strpos(lower(id), \(placeholder)) > 0)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let countQuery = PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM events \(filter)", binds: bindings)
        var pageBindings = bindings
        pageBindings.append(max(0, query.limit))
        pageBindings.append(max(0, query.offset))
        let pageQuery = PostgresQuery(
            unsafeSQL: """
                SELECT * FROM events \(filter) ORDER BY created_at DESC, seq DESC
                LIMIT $\(bindings.count + 1) OFFSET $\(bindings.count + 2)
                """, binds: pageBindings)
        let items = try await rows(pageQuery).map(PostgresRows.event)
        let total = try await rows(countQuery).first?.decode(Int.self) ?? 0
        return Page(items: items, total: total)
    }

    /// The delivery with this id in `tenant`.
    public func delivery(id: String, tenant: TenantID) async throws -> Delivery? {
        try await rows("SELECT * FROM deliveries WHERE id = \(id) AND tenant_id = \(tenant)").first.map(PostgresRows.delivery)
    }

    /// The event's deliveries, oldest first.
    public func deliveries(eventID: String, tenant: TenantID) async throws -> [Delivery] {
        try await rows("SELECT * FROM deliveries WHERE event_id = \(eventID) AND tenant_id = \(tenant) ORDER BY created_at, seq")
            .map(PostgresRows.delivery)
    }

    /// The delivery's attempts, first attempt first.
    public func attempts(deliveryID: String, tenant: TenantID) async throws -> [Attempt] {
        try await rows("SELECT * FROM attempts WHERE delivery_id = \(deliveryID) AND tenant_id = \(tenant) ORDER BY number, seq")
            .map(PostgresRows.attempt)
    }

    /// Every attempt of the event's deliveries, oldest first.
    public func attempts(eventID: String, tenant: TenantID) async throws -> [Attempt] {
        try await rows("SELECT * FROM attempts WHERE event_id = \(eventID) AND tenant_id = \(tenant) ORDER BY created_at, seq")
            .map(PostgresRows.attempt)
    }

    /// Scheduled and pending deliveries soonest first, then paused ones in the order they would
    /// resume; every tenant's when `tenant` is `nil`.
    public func retryQueue(tenant: TenantID?, limit: Int) async throws -> [Delivery] {
        try await rows(
            """
            SELECT * FROM deliveries
            WHERE state IN ('scheduled', 'pending', 'paused') AND (\(tenant)::text IS NULL OR tenant_id = \(tenant))
            ORDER BY state = 'paused', CASE WHEN state = 'paused' THEN NULL ELSE next_attempt_at END NULLS FIRST, seq
            LIMIT \(max(0, limit))
            """
        ).map(PostgresRows.delivery)
    }
}
