import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Inserts a batch of events with their deliveries in one transaction, with the semantics
    /// of the SQLite store (see `SQLiteStore.insertEvents`).
    ///
    /// Idempotency keys are claimed in `idempotency_keys`, whose primary key is (tenant, key):
    /// a node inserting a key another node's open transaction holds waits for it, then finds
    /// the key taken, so two nodes receiving the same key at once create one event. A key older
    /// than the item's window start is taken over.
    public func insertEvents(_ batch: [NewEvent]) async throws -> [InsertOutcome] {
        guard !batch.isEmpty else { return [] }
        let endpointIDs = Array(Set(batch.flatMap { $0.deliveries.map(\.endpointID) }))
        return try await transaction { connection in
            // (tenant, enabled) of each endpoint named, read once; the row is locked (shared)
            // so that a disable committing meanwhile cannot leave a pending delivery behind.
            var endpoints: [String: (tenant: String, enabled: Bool)] = [:]
            if !endpointIDs.isEmpty {
                for row in try await connection.rows(
                    "SELECT id, tenant_id, enabled FROM endpoints WHERE id = ANY(\(endpointIDs)) ORDER BY id FOR SHARE", logger)
                {
                    let (id, tenant, enabled) = try row.decode((String, String, Bool).self)
                    endpoints[id] = (tenant, enabled)
                }
            }
            var outcomes: [InsertOutcome] = []
            outcomes.reserveCapacity(batch.count)
            var pending = PendingInserts()
            for item in batch {
                let event = item.event
                if let key = event.idempotencyKey {
                    try await pending.flush(connection, logger)
                    let windowStart = item.idempotencyWindowStart?.unixSeconds ?? -Double.greatestFiniteMagnitude
                    let claimed = try await connection.rows(
                        """
                        INSERT INTO idempotency_keys (tenant_id, idempotency_key, event_id, created_at)
                        VALUES (\(event.tenantID), \(key), \(event.id), \(event.createdAt.unixSeconds))
                        ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET event_id = EXCLUDED.event_id, created_at = EXCLUDED.created_at
                        WHERE idempotency_keys.created_at < \(windowStart)
                        RETURNING event_id
                        """, logger)
                    if claimed.isEmpty {
                        let existing = try await connection.rows(
                            """
                            SELECT e.* FROM idempotency_keys k JOIN events e ON e.id = k.event_id
                            WHERE k.tenant_id = \(event.tenantID) AND k.idempotency_key = \(key)
                            """, logger)
                        if let original = existing.first {
                            let hash = try original.makeRandomAccess().optionalString("request_hash")
                            guard hash == item.requestHash else {
                                outcomes.append(.idempotencyConflict)
                                continue
                            }
                            let stored = try PostgresRows.event(original)
                            let deliveries = try await connection.rows(
                                "SELECT * FROM deliveries WHERE event_id = \(stored.id) ORDER BY seq", logger
                            ).map(PostgresRows.delivery)
                            outcomes.append(.duplicate(stored, deliveries))
                            continue
                        }
                    }
                }
                var stored: [Delivery] = []
                stored.reserveCapacity(item.deliveries.count)
                for var delivery in item.deliveries {
                    guard let endpoint = endpoints[delivery.endpointID], endpoint.tenant == event.tenantID else { continue }
                    delivery.tenantID = event.tenantID
                    delivery.eventID = event.id
                    delivery.state = endpoint.enabled ? .pending : .paused
                    delivery.attemptCount = 0
                    delivery.leaseExpiresAt = nil
                    delivery.leaseToken = nil
                    if delivery.nextAttemptAt == nil { delivery.nextAttemptAt = event.createdAt }
                    stored.append(delivery)
                }
                var inserted = event
                inserted.status = Event.status(for: stored.map(\.state))
                pending.add(inserted, requestHash: item.requestHash, deliveries: stored)
                if event.idempotencyKey != nil { try await pending.flush(connection, logger) }
                outcomes.append(.inserted(inserted, stored))
            }
            try await pending.flush(connection, logger)
            let due = outcomes.contains { outcome in
                if case .inserted(_, let deliveries) = outcome { deliveries.contains { $0.state == .pending } } else { false }
            }
            if due { try await wakeOthers(connection) }
            return outcomes
        }
    }

    /// Sets an event's status (used to mark a replayed original `REPLAYED`); does nothing when
    /// the event is not in `tenant`.
    public func setEventStatus(id: String, tenant: TenantID, status: Event.Status) async throws {
        _ = try await rows("UPDATE events SET status = \(status.rawValue) WHERE id = \(id) AND tenant_id = \(tenant)")
    }

    /// Recomputes the status of `eventIDs` from all their deliveries with ``Event/status(for:)``,
    /// never overwriting `REPLAYED`; returns the events whose status changed, in first-seen
    /// order. Rows are locked in id order, so two nodes refreshing the same events cannot deadlock.
    static func refreshEventStatuses(_ connection: PostgresConnection, eventIDs: [String], _ logger: Logger) async throws -> [EventStatusChange] {
        var seen = Set<String>()
        let ordered = eventIDs.filter { seen.insert($0).inserted }
        guard !ordered.isEmpty else { return [] }
        try await connection.rows("SELECT id FROM events WHERE id = ANY(\(ordered)) ORDER BY id FOR UPDATE", logger)
        let rows = try await connection.rows(
            """
            SELECT e.id, e.tenant_id, e.status, COALESCE(array_agg(d.state) FILTER (WHERE d.state IS NOT NULL), '{}') AS states
            FROM events e LEFT JOIN deliveries d ON d.event_id = e.id WHERE e.id = ANY(\(ordered)) GROUP BY e.id, e.tenant_id, e.status
            """, logger)
        var current: [String: (tenant: String, status: String, states: [String])] = [:]
        for row in rows {
            let (id, tenant, status, states) = try row.decode((String, String, String, [String]).self)
            current[id] = (tenant, status, states)
        }
        var changes: [EventStatusChange] = []
        for id in ordered {
            guard let row = current[id], row.status != Event.Status.replayed.rawValue else { continue }
            let status = Event.status(for: row.states.compactMap(Delivery.State.init(rawValue:)))
            guard status.rawValue != row.status else { continue }
            changes.append(EventStatusChange(eventID: id, tenantID: row.tenant, status: status))
        }
        if !changes.isEmpty {
            try await connection.rows(
                """
                UPDATE events e SET status = u.status FROM unnest(\(changes.map(\.eventID))::text[], \(changes.map(\.status.rawValue))::text[])
                AS u(id, status) WHERE e.id = u.id
                """, logger)
        }
        return changes
    }
}

/// Events and deliveries waiting to be written with one multi-row `INSERT` each.
struct PendingInserts {
    private var events: [(event: Event, requestHash: String?)] = []
    private var deliveries: [Delivery] = []

    mutating func add(_ event: Event, requestHash: String?, deliveries: [Delivery]) {
        events.append((event, requestHash))
        self.deliveries += deliveries
    }

    /// Most rows in one statement (PostgreSQL takes at most 65,535 parameters).
    private static let rowsPerStatement = 2000

    mutating func flush(_ connection: PostgresConnection, _ logger: Logger) async throws {
        guard !events.isEmpty else { return }
        for chunk in stride(from: 0, to: events.count, by: Self.rowsPerStatement) {
            var bindings = PostgresBindings()
            var tuples: [String] = []
            for (event, requestHash) in events[chunk..<min(events.count, chunk + Self.rowsPerStatement)] {
                let start = bindings.count
                bindings.append(event.id)
                bindings.append(event.tenantID)
                bindings.append(event.eventType)
                try bindings.append(event.payload)
                bindings.append(event.origin.rawValue)
                bindings.append(event.status.rawValue)
                bindings.append(event.idempotencyKey)
                bindings.append(requestHash)
                bindings.append(event.replayOf)
                bindings.append(event.sourceID)
                bindings.append(event.correlationID)
                bindings.append(PostgresRows.json(event.sourceHeaders))
                bindings.append(event.createdAt.unixSeconds)
                tuples.append(Self.tuple(from: start, to: bindings.count))
            }
            try await connection.rows(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO events (id, tenant_id, event_type, payload, origin, status, idempotency_key, request_hash,
                        replay_of, source_id, correlation_id, source_headers, created_at) VALUES \(tuples.joined(separator: ", "))
                        """, binds: bindings), logger)
        }
        // Counters of the sources the events came in through.
        var received: [String: (count: Int, last: Double, tenant: String)] = [:]
        for (event, _) in events where event.origin == .source {
            guard let sourceID = event.sourceID else { continue }
            let previous = received[sourceID]
            received[sourceID] = ((previous?.count ?? 0) + 1, max(previous?.last ?? 0, event.createdAt.unixSeconds), event.tenantID)
        }
        for (sourceID, tally) in received.sorted(by: { $0.key < $1.key }) {
            try await connection.rows(
                """
                UPDATE sources SET events_received = events_received + \(tally.count), last_received_at = \(tally.last)
                WHERE id = \(sourceID) AND tenant_id = \(tally.tenant)
                """, logger)
        }
        for chunk in stride(from: 0, to: deliveries.count, by: Self.rowsPerStatement) {
            var bindings = PostgresBindings()
            var tuples: [String] = []
            for delivery in deliveries[chunk..<min(deliveries.count, chunk + Self.rowsPerStatement)] {
                let start = bindings.count
                bindings.append(delivery.id)
                bindings.append(delivery.tenantID)
                bindings.append(delivery.eventID)
                bindings.append(delivery.endpointID)
                bindings.append(delivery.state.rawValue)
                bindings.append(delivery.nextAttemptAt?.unixSeconds)
                bindings.append(delivery.lastStatusCode)
                bindings.append(delivery.lastError)
                bindings.append(delivery.createdAt.unixSeconds)
                bindings.append(delivery.updatedAt.unixSeconds)
                tuples.append(Self.tuple(from: start, to: bindings.count, then: ", 0"))
            }
            try await connection.rows(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, state, next_attempt_at, last_status_code,
                        last_error, created_at, updated_at, attempt_count) VALUES \(tuples.joined(separator: ", "))
                        """, binds: bindings), logger)
        }
        events.removeAll(keepingCapacity: true)
        deliveries.removeAll(keepingCapacity: true)
    }

    /// `($start+1, …, $end<suffix>)`: the placeholders of one row, then constant columns.
    private static func tuple(from start: Int, to end: Int, then suffix: String = "") -> String {
        "(" + (start + 1...end).map { "$\($0)" }.joined(separator: ", ") + suffix + ")"
    }
}
