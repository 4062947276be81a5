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
            let current = try db.cachedStatement(
                sql: """
                    SELECT d.lease_token, d.state, e.enabled,
                        (SELECT MAX(a.number) FROM attempts a WHERE a.delivery_id = d.id)
                    FROM deliveries d LEFT JOIN endpoints e ON e.id = d.endpoint_id WHERE d.id = ?
                    """)
            for (record, headers) in zip(records, headers) {
                guard let row = try Row.fetchOne(current, arguments: [record.attempt.deliveryID]) else {
                    logger.warning("attempt for an unknown delivery not recorded", metadata: ["delivery": "\(record.attempt.deliveryID)"])
                    continue
                }
                let token: Int64? = row[0]
                let state = Delivery.State(rawValue: row[1]) ?? .pending
                let enabled: Bool = row[2] ?? false
                var attempt = record.attempt
                attempt.number = (row[3] as Int? ?? 0) + 1
                // A claim always sets a token and every write after it clears the token, so only
                // the current holder matches; a record without a token (tools, tests) applies to
                // an unclaimed delivery only.
                if token != record.leaseToken {
                    attempt.superseded = true
                    attempt.nextRetryAt = nil
                    try Self.insertAttempt(db, attempt, headers: headers)
                    recording.attempts.append(attempt)
                    recording.deliveryStates.append(nil)
                    continue
                }
                try Self.insertAttempt(db, attempt, headers: headers)
                let kind = HealthChangeKind(record.endpointChange)
                if kind == .disable || lastHealthChange[attempt.endpointID] != kind {
                    touchedEvents += try Self.apply(record.endpointChange, endpointID: attempt.endpointID, db)
                    lastHealthChange[attempt.endpointID] = kind
                }
                if let until = record.throttleEndpointUntil {
                    try db.cachedStatement(
                        sql: "UPDATE endpoints SET throttled_until = MAX(COALESCE(throttled_until, 0), ?) WHERE id = ?"
                    ).execute(arguments: [until.unixSeconds, attempt.endpointID])
                }
                let disabledNow = if case .disable = record.endpointChange { true } else { false }
                let newState = try Self.updateDelivery(
                    db, record, attempt: attempt, endpointEnabled: enabled && !disabledNow, cancelled: state == .cancelled)
                recording.attempts.append(attempt)
                recording.deliveryStates.append(newState)
                touchedEvents.append(attempt.eventID)
            }
            recording.eventStatusChanges = try Self.refreshEventStatuses(db, eventIDs: touchedEvents)
            return recording
        }
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

    /// Stores `attempt` with its request headers already encoded as a JSON object.
    private static func insertAttempt(_ db: Database, _ attempt: Attempt, headers: String) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO attempts (id, tenant_id, delivery_id, event_id, endpoint_id, number, url, request_headers,
                status_code, error_class, error_message, response_body, duration_ms, created_at, next_retry_at, superseded, node)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """
        ).execute(arguments: [
            attempt.id, attempt.tenantID, attempt.deliveryID, attempt.eventID, attempt.endpointID, attempt.number,
            attempt.url, headers, attempt.statusCode, attempt.errorClass, attempt.errorMessage,
            attempt.responseBody, attempt.durationMilliseconds, attempt.createdAt.unixSeconds, attempt.nextRetryAt?.unixSeconds,
            attempt.superseded, attempt.node,
        ])
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

    /// Writes the state an attempt led to; returns it as stored.
    private static func updateDelivery(
        _ db: Database, _ record: AttemptRecord, attempt: Attempt, endpointEnabled: Bool, cancelled: Bool
    ) throws -> Delivery.State {
        var state = cancelled ? .cancelled : record.deliveryState
        var nextAttemptAt = record.nextAttemptAt
        if Delivery.State.waiting.contains(state) {
            if !endpointEnabled { state = .paused }
            if nextAttemptAt == nil { nextAttemptAt = attempt.createdAt }
        }
        try db.cachedStatement(
            sql: """
                UPDATE deliveries SET state = ?, attempt_count = attempt_count + 1, next_attempt_at = ?, lease_expires_at = NULL,
                lease_token = NULL, last_status_code = ?, last_error = ?, updated_at = ? WHERE id = ?
                """
        ).execute(arguments: [
            state.rawValue, nextAttemptAt?.unixSeconds, attempt.statusCode,
            attempt.errorClass, attempt.createdAt.unixSeconds, attempt.deliveryID,
        ])
        return state
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
