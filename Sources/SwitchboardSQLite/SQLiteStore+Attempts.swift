import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Records a batch of attempts in one write transaction. For each record, in order:
    ///
    /// 1. the fence: the record applies only while the delivery carries the record's lease
    ///    token. When it does not (another claim took the delivery over after the lease
    ///    lapsed), the attempt is stored flagged `superseded` and nothing else changes. A
    ///    record whose delivery does not exist is skipped;
    /// 2. the attempt is stored, numbered one past the delivery's highest attempt number;
    /// 3. the endpoint's health changes: `.succeeded` clears `failing_since`; `.failed(at)` sets
    ///    it unless already set; `.disable(reason, at)` disables the endpoint (reason, date, and
    ///    `failing_since` unless already set) and pauses its pending and scheduled deliveries;
    ///    a throttle holds the endpoint until the later of its current and the new date;
    /// 4. the delivery takes the new state, `attempt_count` one more, the next due date,
    ///    the last status code and error class (`nil` when a response came back), and loses
    ///    its lease. A new state of `pending` or `scheduled` becomes `paused` when the endpoint
    ///    is disabled by then; a cancelled delivery stays cancelled.
    ///
    /// Then the status of every touched event is recomputed from all its deliveries (`REPLAYED`
    /// is kept).
    public func recordAttempts(_ records: [AttemptRecord]) async throws -> AttemptRecording {
        guard !records.isEmpty else { return AttemptRecording() }
        let logger = logger
        // Encoded before taking the writer, which every publish and claim waits for.
        let headers = records.map { Rows.json($0.attempt.requestHeaders) }
        return try await write { db in
            var recording = AttemptRecording()
            var touchedEvents: [String] = []
            // The health change last applied per endpoint in this batch: a success after a success
            // (or a failure after a failure) changes nothing, so its UPDATE is skipped.
            var lastHealthChange: [String: HealthChangeKind] = [:]
            var disabledInBatch = Set<String>()
            // Read once for the batch, then kept as this batch changes them (a delivery recorded
            // twice in one batch sees its first record's effect).
            var current = try Self.recordTargets(db, deliveryIDs: records.map(\.attempt.deliveryID))
            var attempts: [(attempt: Attempt, headers: String)] = []
            var updates: [(record: AttemptRecord, attempt: Attempt, state: Delivery.State)] = []
            for (record, headers) in zip(records, headers) {
                let deliveryID = record.attempt.deliveryID
                guard let target = current[deliveryID] else {
                    logger.warning("attempt for an unknown delivery not recorded", metadata: ["delivery": "\(deliveryID)"])
                    continue
                }
                var attempt = record.attempt
                attempt.number = target.lastNumber + 1
                current[deliveryID]!.lastNumber = attempt.number
                // A claim always sets a token and every write after it clears the token, so only
                // the current holder matches; a record without a token (tools, tests) applies to
                // an unclaimed delivery only.
                if target.leaseToken != record.leaseToken {
                    attempt.superseded = true
                    attempt.nextRetryAt = nil
                    attempts.append((attempt, headers))
                    recording.attempts.append(attempt)
                    recording.deliveryStates.append(nil)
                    continue
                }
                attempts.append((attempt, headers))
                let kind = HealthChangeKind(record.endpointChange)
                if kind == .disable || lastHealthChange[attempt.endpointID] != kind {
                    touchedEvents += try Self.apply(record.endpointChange, endpointID: attempt.endpointID, db)
                    lastHealthChange[attempt.endpointID] = kind
                }
                if kind == .disable { disabledInBatch.insert(attempt.endpointID) }
                if let until = record.throttleEndpointUntil {
                    try db.cachedStatement(
                        sql: "UPDATE endpoints SET throttled_until = MAX(COALESCE(throttled_until, 0), ?) WHERE id = ?"
                    ).execute(arguments: [until.unixSeconds, attempt.endpointID])
                }
                let state = target.state == .cancelled ? .cancelled : record.deliveryState
                current[deliveryID]!.leaseToken = nil
                current[deliveryID]!.state = state
                updates.append((record, attempt, state))
                recording.attempts.append(attempt)
                recording.deliveryStates.append(state)
                touchedEvents.append(attempt.eventID)
            }
            try Self.insertAttempts(db, attempts)
            // A delivery whose endpoint is disabled by the end of the batch waits paused; the
            // updates run after every health change, so the pause of an endpoint's waiting
            // deliveries could not have seen these.
            let stored = updates.map { update in
                let enabled = (current[update.attempt.deliveryID]?.endpointEnabled ?? false) && !disabledInBatch.contains(update.attempt.endpointID)
                return Self.storedDelivery(update.record, attempt: update.attempt, state: update.state, endpointEnabled: enabled)
            }
            try Self.updateDeliveries(db, stored)
            var storedIndex = 0
            for index in recording.deliveryStates.indices where recording.deliveryStates[index] != nil {
                recording.deliveryStates[index] = stored[storedIndex].state
                storedIndex += 1
            }
            recording.eventStatusChanges = try Self.refreshEventStatuses(db, eventIDs: touchedEvents)
            return recording
        }
    }

    /// What a record needs of its delivery: the lease token the fence compares, its state,
    /// whether its endpoint is enabled, and its highest attempt number (0 for none).
    private struct RecordTarget {
        var leaseToken: Int64?
        var state: Delivery.State
        var endpointEnabled: Bool
        var lastNumber: Int
    }

    private static func recordTargets(_ db: Database, deliveryIDs: [String]) throws -> [String: RecordTarget] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT d.id, d.lease_token, d.state, e.enabled,
                    (SELECT MAX(a.number) FROM attempts a WHERE a.delivery_id = d.id)
                FROM deliveries d LEFT JOIN endpoints e ON e.id = d.endpoint_id
                WHERE d.id IN (SELECT value FROM json_each(?))
                """)
        var targets: [String: RecordTarget] = [:]
        for row in try Row.fetchAll(statement, arguments: [JSONText.array(Array(Set(deliveryIDs)))]) {
            targets[row[0]] = RecordTarget(
                leaseToken: row[1], state: Delivery.State(rawValue: row[2]) ?? .pending, endpointEnabled: row[3] ?? false,
                lastNumber: row[4] ?? 0)
        }
        return targets
    }

    /// Makes claimed, unsent deliveries `pending` and due at `date` again, where the lease
    /// token still holds (a lapsed and re-claimed delivery belongs to its new holder).
    public func releaseClaims(_ releases: [ClaimRelease], at date: Date) async throws {
        guard !releases.isEmpty else { return }
        try await write { db in
            let release = try db.cachedStatement(
                sql: """
                    UPDATE deliveries SET state = 'pending', next_attempt_at = ?1, lease_expires_at = NULL, lease_token = NULL,
                    updated_at = ?1 WHERE id = ?2 AND lease_token = ?3 AND state = 'in_flight'
                    """)
            for item in releases {
                try release.execute(arguments: [date.unixSeconds, item.deliveryID, item.leaseToken])
            }
        }
    }

    private enum HealthChangeKind {
        case succeeded, failed, disable

        init(_ change: EndpointHealthChange) {
            switch change {
            case .succeeded: self = .succeeded
            case .failed: self = .failed
            case .disable: self = .disable
            }
        }
    }

    /// Stores attempts, each with its request headers already encoded as a JSON object,
    /// several rows per statement.
    private static func insertAttempts(_ db: Database, _ attempts: [(attempt: Attempt, headers: String)]) throws {
        try executeRows(db, attempts.map { attempt, headers -> [(any DatabaseValueConvertible)?] in
            [
                attempt.id, attempt.tenantID, attempt.deliveryID, attempt.eventID, attempt.endpointID, attempt.number,
                attempt.url, headers, attempt.statusCode, attempt.errorClass, attempt.errorMessage,
                attempt.responseBody, attempt.durationMilliseconds, attempt.createdAt.unixSeconds, attempt.nextRetryAt?.unixSeconds,
                attempt.superseded, attempt.node,
            ]
        }) { rows in
            """
            INSERT INTO attempts (id, tenant_id, delivery_id, event_id, endpoint_id, number, url, request_headers,
            status_code, error_class, error_message, response_body, duration_ms, created_at, next_retry_at, superseded, node)
            VALUES \(valuesList(rows: rows, width: 17)) ON CONFLICT (id) DO NOTHING
            """
        }
    }

    /// Applies an endpoint health change; returns the events of deliveries it paused.
    private static func apply(_ change: EndpointHealthChange, endpointID: String, _ db: Database) throws -> [String] {
        switch change {
        case .succeeded:
            try db.cachedStatement(sql: "UPDATE endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL")
                .execute(arguments: [endpointID])
            return []
        case .failed(let at):
            try db.cachedStatement(sql: "UPDATE endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL")
                .execute(arguments: [at.unixSeconds, endpointID])
            return []
        case .disable(let reason, let at):
            try db.cachedStatement(
                sql: """
                    UPDATE endpoints SET enabled = 0, disabled_reason = ?1, disabled_at = ?2,
                    failing_since = COALESCE(failing_since, ?2), updated_at = ?2 WHERE id = ?3 AND enabled = 1
                    """
            ).execute(arguments: [reason, at.unixSeconds, endpointID])
            return try pause(db, endpointID: endpointID, at: at).events
        }
    }

    /// A delivery's row after an attempt, as ``updateDeliveries(_:_:)`` writes it.
    private struct StoredDelivery {
        var id: String
        var state: Delivery.State
        var nextAttemptAt: Date?
        var statusCode: Int?
        var errorClass: String?
        var updatedAt: Date
    }

    /// The state an attempt leads to: the record's, `paused` instead of waiting when the endpoint
    /// is disabled, due at once when waiting without a date; `cancelled` stays cancelled.
    private static func storedDelivery(
        _ record: AttemptRecord, attempt: Attempt, state requested: Delivery.State, endpointEnabled: Bool
    ) -> StoredDelivery {
        var state = requested
        var nextAttemptAt = record.nextAttemptAt
        if Delivery.State.waiting.contains(state) {
            if !endpointEnabled { state = .paused }
            if nextAttemptAt == nil { nextAttemptAt = attempt.createdAt }
        }
        return StoredDelivery(
            id: attempt.deliveryID, state: state, nextAttemptAt: nextAttemptAt, statusCode: attempt.statusCode,
            errorClass: attempt.errorClass, updatedAt: attempt.createdAt)
    }

    /// Writes each delivery's state after its attempt, one more attempt counted and its lease
    /// dropped, several rows per statement.
    private static func updateDeliveries(_ db: Database, _ deliveries: [StoredDelivery]) throws {
        try executeRows(db, deliveries.map { delivery -> [(any DatabaseValueConvertible)?] in
            [delivery.id, delivery.state.rawValue, delivery.nextAttemptAt?.unixSeconds, delivery.statusCode, delivery.errorClass,
             delivery.updatedAt.unixSeconds]
        }) { rows in
            """
            UPDATE deliveries SET state = v.column2, attempt_count = attempt_count + 1, next_attempt_at = v.column3,
            lease_expires_at = NULL, lease_token = NULL, last_status_code = v.column4, last_error = v.column5, updated_at = v.column6
            FROM (VALUES \(valuesList(rows: rows, width: 6))) AS v WHERE deliveries.id = v.column1
            """
        }
    }

    /// Moves the endpoint's pending and scheduled deliveries to `paused`, keeping their due
    /// date; returns how many, and the events they belong to.
    static func pause(_ db: Database, endpointID: String, at date: Date) throws -> (count: Int, events: [String]) {
        let events = try String.fetchAll(
            db.cachedStatement(sql: "SELECT DISTINCT event_id FROM deliveries WHERE endpoint_id = ? AND state IN ('pending', 'scheduled')"),
            arguments: [endpointID])
        try db.cachedStatement(
            sql: "UPDATE deliveries SET state = 'paused', updated_at = ? WHERE endpoint_id = ? AND state IN ('pending', 'scheduled')"
        ).execute(arguments: [date.unixSeconds, endpointID])
        return (db.changesCount, events)
    }
}
