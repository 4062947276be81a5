import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Inserts a batch of events with their deliveries in one write transaction: this is the
    /// group-commit path, one fsync per batch.
    ///
    /// For each item, in input order:
    /// - When the event has an idempotency key used by an event of the same tenant created at
    ///   or after ``NewEvent/idempotencyWindowStart`` (any time when the start is `nil`), nothing
    ///   is inserted: the outcome is `.duplicate` with the stored event and its deliveries when
    ///   the request hashes are equal, `.idempotencyConflict` otherwise. Earlier items of the
    ///   same batch count.
    /// - An event that came in through a source (origin `source`) counts as received by it.
    /// - Otherwise each delivery is stored `pending` when its endpoint is enabled and `paused`
    ///   when it is disabled, as read inside the transaction; a delivery whose endpoint no longer
    ///   exists in the tenant is skipped. A pending delivery without a due date is due at the
    ///   event's creation. The event's status is derived from the stored deliveries.
    public func insertEvents(_ batch: [NewEvent]) async throws -> [InsertOutcome] {
        guard !batch.isEmpty else { return [] }
        return try await write { db in try Self.insert(batch, db) }
    }

    /// ``insertEvents(_:)``, then the publish's claim in the same transaction: for each endpoint
    /// of `claim`, its waiting deliveries due by `claim.now` (the batch's own and older ones,
    /// oldest due first), as ``claimDueDeliveries(_:)`` takes them. The outcomes show the
    /// batch's claimed deliveries as claimed; endpoints with more due than their limit are
    /// named as still waiting.
    public func insertEvents(_ batch: [NewEvent], claiming claim: PublishClaim?) async throws -> PublishCommit {
        guard !batch.isEmpty else { return PublishCommit(outcomes: []) }
        return try await write { db in
            var outcomes = try Self.insert(batch, db)
            guard let claim, !claim.limits.isEmpty else { return PublishCommit(outcomes: outcomes) }
            var events: [String: Event] = [:]
            for case .inserted(let event, _) in outcomes { events[event.id] = event }
            let (claimed, stillWaiting) = try Self.claim(claim, db, events: events)
            let byID = Dictionary(claimed.map { ($0.delivery.id, $0.delivery) }, uniquingKeysWith: { first, _ in first })
            for index in outcomes.indices {
                guard case .inserted(let event, let deliveries) = outcomes[index] else { continue }
                outcomes[index] = .inserted(event, deliveries.map { byID[$0.id] ?? $0 })
            }
            return PublishCommit(outcomes: outcomes, claimed: claimed, stillWaiting: stillWaiting)
        }
    }

    private static func insert(_ batch: [NewEvent], _ db: Database) throws -> [InsertOutcome] {
        let endpoints = try endpointStates(db, ids: Set(batch.lazy.flatMap { $0.deliveries.lazy.map(\.endpointID) }))
        var outcomes: [InsertOutcome] = []
        outcomes.reserveCapacity(batch.count)
        var rows = NewRows()
        for item in batch {
            // An idempotency key is looked up in the table: what this batch added must be there.
            if item.event.idempotencyKey != nil { try rows.insert(db) }
            outcomes.append(try Self.insert(item, db, endpoints: endpoints, into: &rows))
        }
        try rows.insert(db)
        return outcomes
    }

    /// The tenant and enabled flag of each endpoint in `ids` that exists, in one query: a
    /// fan-out to 64 endpoints reads them in one statement on the writer, not 64.
    private static func endpointStates(_ db: Database, ids: Set<String>) throws -> [String: (tenant: TenantID, enabled: Bool)] {
        guard !ids.isEmpty else { return [:] }
        var states: [String: (tenant: TenantID, enabled: Bool)] = [:]
        let statement = try db.cachedStatement(sql: "SELECT id, tenant_id, enabled FROM endpoints WHERE id IN (SELECT value FROM json_each(?))")
        for row in try Row.fetchAll(statement, arguments: [JSONText.array(Array(ids))]) {
            states[row[0]] = (tenant: row[1], enabled: row[2])
        }
        return states
    }

    /// Event and delivery rows gathered to be inserted several per statement.
    private struct NewRows {
        var events: [[(any DatabaseValueConvertible)?]] = []
        var deliveries: [[(any DatabaseValueConvertible)?]] = []

        /// Inserts what was gathered, events first (deliveries reference them), and forgets it.
        mutating func insert(_ db: Database) throws {
            try executeRows(db, events) { count in
                """
                INSERT INTO events (id, tenant_id, event_type, payload, origin, status, idempotency_key, request_hash,
                replay_of, source_id, correlation_id, source_headers, created_at) VALUES \(valuesList(rows: count, width: 13))
                """
            }
            // A new delivery has no attempt and no lease: those columns are literals, not parameters.
            try executeRows(db, deliveries) { count in
                """
                INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, state, next_attempt_at, created_at, updated_at,
                attempt_count, lease_expires_at, lease_token, last_status_code, last_error)
                VALUES \(valuesList(rows: count, width: 8, then: "0, NULL, NULL, NULL, NULL"))
                """
            }
            events.removeAll(keepingCapacity: true)
            deliveries.removeAll(keepingCapacity: true)
        }
    }

    private static func insert(
        _ item: NewEvent, _ db: Database, endpoints: [String: (tenant: TenantID, enabled: Bool)], into rows: inout NewRows
    ) throws -> InsertOutcome {
        let event = item.event
        if let key = event.idempotencyKey, let existing = try idempotentMatch(db, tenant: event.tenantID, key: key, since: item.idempotencyWindowStart) {
            guard (existing["request_hash"] as String?) == item.requestHash else { return .idempotencyConflict }
            let original = Rows.event(existing)
            let deliveries = try Row.fetchAll(
                db, sql: "SELECT * FROM deliveries WHERE event_id = ? ORDER BY seq", arguments: [original.id]
            ).map(Rows.delivery)
            return .duplicate(original, deliveries)
        }

        var stored: [Delivery] = []
        stored.reserveCapacity(item.deliveries.count)
        for var delivery in item.deliveries {
            // An endpoint deleted since the fan-out, or another tenant's, gets no delivery.
            guard let endpoint = endpoints[delivery.endpointID], endpoint.tenant == event.tenantID else { continue }
            let enabled = endpoint.enabled
            delivery.tenantID = event.tenantID
            delivery.eventID = event.id
            delivery.state = enabled ? .pending : .paused
            delivery.attemptCount = 0
            delivery.leaseExpiresAt = nil
            delivery.leaseToken = nil
            delivery.lastStatusCode = nil
            delivery.lastError = nil
            if delivery.nextAttemptAt == nil { delivery.nextAttemptAt = event.createdAt }
            stored.append(delivery)
        }

        var inserted = event
        inserted.status = Event.status(for: stored.map(\.state))
        rows.events.append([
            inserted.id, inserted.tenantID, inserted.eventType, inserted.payload, inserted.origin.rawValue,
            inserted.status.rawValue, inserted.idempotencyKey, item.requestHash, inserted.replayOf, inserted.sourceID,
            inserted.correlationID, Rows.json(inserted.sourceHeaders), inserted.createdAt.unixSeconds,
        ])
        if let sourceID = inserted.sourceID, inserted.origin == .source {
            try db.cachedStatement(
                sql: "UPDATE sources SET events_received = events_received + 1, last_received_at = ? WHERE id = ? AND tenant_id = ?"
            ).execute(arguments: [inserted.createdAt.unixSeconds, sourceID, inserted.tenantID])
        }
        for delivery in stored {
            rows.deliveries.append([
                delivery.id, delivery.tenantID, delivery.eventID, delivery.endpointID, delivery.state.rawValue,
                delivery.nextAttemptAt?.unixSeconds, delivery.createdAt.unixSeconds, delivery.updatedAt.unixSeconds,
            ])
        }
        return .inserted(inserted, stored)
    }

    /// The oldest event of `tenant` with idempotency key `key` created at or after `since`.
    private static func idempotentMatch(_ db: Database, tenant: TenantID, key: String, since: Date?) throws -> Row? {
        try Row.fetchOne(
            db.cachedStatement(sql: idempotentMatchSQL),
            arguments: [tenant, key, since?.unixSeconds ?? -Double.greatestFiniteMagnitude])
    }

    /// Arguments: tenant, key, window start.
    static let idempotentMatchSQL = """
        SELECT * FROM events WHERE tenant_id = ? AND idempotency_key = ? AND created_at >= ?
        ORDER BY created_at, seq LIMIT 1
        """

    /// Sets an event's status (used to mark a replayed original `REPLAYED`); does nothing when
    /// the event is not in `tenant`.
    public func setEventStatus(id: String, tenant: TenantID, status: Event.Status) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE events SET status = ? WHERE id = ? AND tenant_id = ?", arguments: [status.rawValue, id, tenant])
        }
    }

    /// Recomputes the status of `eventIDs` from all their deliveries with ``Event/status(for:)``,
    /// never overwriting `REPLAYED`; returns the events whose status changed, in first-seen order.
    static func refreshEventStatuses(_ db: Database, eventIDs: [String]) throws -> [EventStatusChange] {
        var seen = Set<String>()
        var changes: [EventStatusChange] = []
        // One row per delivery (one with a NULL state for an event without any), each with the event's tenant and status.
        let current = try db.cachedStatement(
            sql: "SELECT e.tenant_id, e.status, d.state FROM events e LEFT JOIN deliveries d ON d.event_id = e.id WHERE e.id = ?")
        let update = try db.cachedStatement(sql: "UPDATE events SET status = ? WHERE id = ?")
        for eventID in eventIDs where seen.insert(eventID).inserted {
            let rows = try Row.fetchAll(current, arguments: [eventID])
            guard let first = rows.first else { continue }
            let stored: String = first[1]
            guard stored != Event.Status.replayed.rawValue else { continue }
            let status = Event.status(for: rows.compactMap { ($0[2] as String?).flatMap(Delivery.State.init(rawValue:)) })
            guard status.rawValue != stored else { continue }
            try update.execute(arguments: [status.rawValue, eventID])
            changes.append(EventStatusChange(eventID: eventID, tenantID: first[0], status: status))
        }
        return changes
    }
}
