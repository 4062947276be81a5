import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    public func insertEvents(_ batch: [NewEvent]) async throws -> [InsertOutcome] {
        try await write { db in
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(batch.count)
            for item in batch { outcomes.append(try Self.insert(item, db)) }
            return outcomes
        }
    }

    private static func insert(_ item: NewEvent, _ db: Database) throws -> InsertOutcome {
        let event = item.event
        if let key = event.idempotencyKey, let windowStart = item.idempotencyWindowStart,
            let existing = try Row.fetchOne(
                db, sql: "SELECT * FROM events WHERE tenant_id = ? AND idempotency_key = ? AND created_at >= ? ORDER BY created_at LIMIT 1",
                arguments: [event.tenantID, key, windowStart.unixSeconds])
        {
            guard (existing["request_hash"] as String?) == item.requestHash else { return .idempotencyConflict }
            let original = Rows.event(existing)
            let deliveries = try Row.fetchAll(db, sql: "SELECT * FROM deliveries WHERE event_id = ? ORDER BY rowid", arguments: [original.id]).map(Rows.delivery)
            return .duplicate(original, deliveries)
        }
        var stored: [Delivery] = []
        for var delivery in item.deliveries {
            guard let enabled = try Bool.fetchOne(
                db, sql: "SELECT enabled FROM endpoints WHERE id = ? AND tenant_id = ?", arguments: [delivery.endpointID, event.tenantID])
            else { continue }
            delivery.state = enabled ? .pending : .paused
            try db.execute(
                sql: """
                    INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, state, attempt_count, next_attempt_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)
                    """,
                arguments: [
                    delivery.id, delivery.tenantID, event.id, delivery.endpointID, delivery.state.rawValue,
                    delivery.nextAttemptAt?.unixSeconds, delivery.createdAt.unixSeconds, delivery.updatedAt.unixSeconds,
                ])
            stored.append(delivery)
        }
        var inserted = event
        inserted.status = Event.status(for: stored.map(\.state))
        try db.execute(
            sql: """
                INSERT INTO events (id, tenant_id, event_type, payload, origin, status, idempotency_key, request_hash, replay_of,
                source_id, correlation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                inserted.id, inserted.tenantID, inserted.eventType, inserted.payload, inserted.origin.rawValue, inserted.status.rawValue,
                inserted.idempotencyKey, item.requestHash, inserted.replayOf, inserted.sourceID, inserted.correlationID,
                inserted.createdAt.unixSeconds,
            ])
        return .inserted(inserted, stored)
    }

    public func event(id: String, tenant: TenantID) async throws -> Event? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ? AND tenant_id = ?", arguments: [id, tenant]).map(Rows.event)
        }
    }

    public func events(_ query: EventQuery) async throws -> Page<Event> {
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
        if let type = query.eventType {
            if type.hasSuffix(".*") {
                conditions.append("event_type LIKE ? ESCAPE '\\'")
                arguments += [Self.likeEscaped(String(type.dropLast(1))) + "_%"]
            } else {
                conditions.append("event_type = ?")
                arguments += [type]
            }
        }
        if let endpointID = query.endpointID {
            conditions.append("id IN (SELECT event_id FROM deliveries WHERE endpoint_id = ?)")
            arguments += [endpointID]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let pageArguments = arguments + [query.limit, query.offset]
        let countArguments = arguments
        return try await read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM events \(filter) ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?", arguments: pageArguments)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events \(filter)", arguments: countArguments) ?? 0
            return Page(items: rows.map(Rows.event), total: total)
        }
    }

    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    public func delivery(id: String, tenant: TenantID) async throws -> Delivery? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE id = ? AND tenant_id = ?", arguments: [id, tenant]).map(Rows.delivery)
        }
    }

    public func deliveries(eventID: String, tenant: TenantID) async throws -> [Delivery] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deliveries WHERE event_id = ? AND tenant_id = ? ORDER BY created_at, rowid", arguments: [eventID, tenant])
                .map(Rows.delivery)
        }
    }

    public func attempts(deliveryID: String, tenant: TenantID) async throws -> [Attempt] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE delivery_id = ? AND tenant_id = ? ORDER BY number, created_at", arguments: [deliveryID, tenant])
                .map(Rows.attempt)
        }
    }

    public func attempts(eventID: String, tenant: TenantID) async throws -> [Attempt] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE event_id = ? AND tenant_id = ? ORDER BY created_at, number", arguments: [eventID, tenant])
                .map(Rows.attempt)
        }
    }

    public func retryQueue(tenant: TenantID?, limit: Int) async throws -> [Delivery] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM deliveries WHERE state IN ('scheduled', 'pending', 'paused') AND (? IS NULL OR tenant_id = ?)
                    ORDER BY state = 'paused', next_attempt_at, rowid LIMIT ?
                    """,
                arguments: [tenant, tenant, limit]
            ).map(Rows.delivery)
        }
    }

    public func setEventStatus(id: String, tenant: TenantID, status: Event.Status) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE events SET status = ? WHERE id = ? AND tenant_id = ?", arguments: [status.rawValue, id, tenant])
        }
    }

    /// Recomputes the status of `eventIDs` from their deliveries (never overriding `REPLAYED`);
    /// returns the events whose status changed.
    static func refreshEventStatuses(_ db: Database, eventIDs: [String]) throws -> [EventStatusChange] {
        var changes: [EventStatusChange] = []
        for eventID in Set(eventIDs) {
            guard let row = try Row.fetchOne(db, sql: "SELECT tenant_id, status FROM events WHERE id = ?", arguments: [eventID]) else { continue }
            let current: String = row["status"]
            guard current != Event.Status.replayed.rawValue else { continue }
            let states = try String.fetchAll(db, sql: "SELECT state FROM deliveries WHERE event_id = ?", arguments: [eventID])
                .compactMap(Delivery.State.init(rawValue:))
            let status = Event.status(for: states)
            if status.rawValue != current {
                try db.execute(sql: "UPDATE events SET status = ? WHERE id = ?", arguments: [status.rawValue, eventID])
                changes.append(EventStatusChange(eventID: eventID, tenantID: row["tenant_id"], status: status))
            }
        }
        return changes
    }
}
