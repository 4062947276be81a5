import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Records a batch of attempts in one transaction, with the semantics of the SQLite store
    /// (fence on the lease token, attempt numbering, endpoint health, delivery state, event
    /// statuses). The delivery row is locked (`FOR UPDATE`) while its record is checked, so a
    /// claim on another node cannot take it over between the fence and the write.
    public func recordAttempts(_ records: [AttemptRecord]) async throws -> AttemptRecording {
        guard !records.isEmpty else { return AttemptRecording() }
        return try await transaction { connection in
            var recording = AttemptRecording()
            var touchedEvents: [String] = []
            var lastHealthChange: [String: HealthChangeKind] = [:]
            // Lock the batch's deliveries in id order, so that two batches cannot deadlock.
            let ids = Array(Set(records.map(\.attempt.deliveryID))).sorted()
            var current: [String: (token: Int64?, state: String, enabled: Bool, number: Int)] = [:]
            for row in try await connection.rows(
                """
                SELECT d.id, d.lease_token, d.state, COALESCE(e.enabled, FALSE),
                    COALESCE((SELECT MAX(a.number) FROM attempts a WHERE a.delivery_id = d.id), 0)
                FROM deliveries d LEFT JOIN endpoints e ON e.id = d.endpoint_id
                WHERE d.id = ANY(\(ids)) ORDER BY d.id FOR UPDATE OF d
                """, logger)
            {
                let (id, token, state, enabled, number) = try row.decode((String, Int64?, String, Bool, Int).self)
                current[id] = (token, state, enabled, number)
            }
            var disabledInBatch = Set<String>()
            // Attempts and delivery updates are written in one statement each per batch
            // (written before a disable pauses the endpoint's deliveries, and at the end).
            var writes = BatchWrites()
            for record in records {
                guard var row = current[record.attempt.deliveryID] else {
                    logger.warning("attempt for an unknown delivery not recorded", metadata: ["delivery": "\(record.attempt.deliveryID)"])
                    continue
                }
                var attempt = record.attempt
                attempt.number = row.number + 1
                row.number += 1
                if row.token != record.leaseToken {
                    attempt.superseded = true
                    attempt.nextRetryAt = nil
                    writes.attempts.append(attempt)
                    current[attempt.deliveryID] = row
                    recording.attempts.append(attempt)
                    recording.deliveryStates.append(nil)
                    continue
                }
                writes.attempts.append(attempt)
                let kind = HealthChangeKind(record.endpointChange)
                if kind == .disable || lastHealthChange[attempt.endpointID] != kind {
                    if kind == .disable { try await writes.flush(connection, logger) }
                    touchedEvents += try await Self.apply(record.endpointChange, endpointID: attempt.endpointID, connection, logger)
                    lastHealthChange[attempt.endpointID] = kind
                }
                if case .disable = record.endpointChange { disabledInBatch.insert(attempt.endpointID) }
                if let until = record.throttleEndpointUntil {
                    try await connection.rows(
                        """
                        UPDATE endpoints SET throttled_until = GREATEST(COALESCE(throttled_until, 0), \(until.unixSeconds))
                        WHERE id = \(attempt.endpointID)
                        """, logger)
                }
                let enabled = row.enabled && !disabledInBatch.contains(attempt.endpointID)
                var state = row.state == Delivery.State.cancelled.rawValue ? .cancelled : record.deliveryState
                var nextAttemptAt = record.nextAttemptAt
                if state == .pending || state == .scheduled {
                    if !enabled { state = .paused }
                    if nextAttemptAt == nil { nextAttemptAt = attempt.createdAt }
                }
                writes.update(
                    DeliveryUpdate(
                        id: attempt.deliveryID, state: state.rawValue, next_attempt_at: nextAttemptAt?.unixSeconds,
                        last_status_code: attempt.statusCode, last_error: attempt.errorClass, updated_at: attempt.createdAt.unixSeconds))
                row.token = nil
                row.state = state.rawValue
                current[attempt.deliveryID] = row
                recording.attempts.append(attempt)
                recording.deliveryStates.append(state)
                touchedEvents.append(attempt.eventID)
            }
            try await writes.flush(connection, logger)
            recording.eventStatusChanges = try await Self.refreshEventStatuses(connection, eventIDs: touchedEvents, logger)
            return recording
        }
    }

    /// Makes claimed, unsent deliveries `pending` and due at `date` again, where the lease
    /// token still holds (a lapsed and re-claimed delivery belongs to its new holder).
    public func releaseClaims(_ releases: [ClaimRelease], at date: Date) async throws {
        guard !releases.isEmpty else { return }
        try await rows(
            """
            UPDATE deliveries d SET state = 'pending', next_attempt_at = \(date.unixSeconds), lease_expires_at = NULL,
            lease_token = NULL, lease_holder = NULL, updated_at = \(date.unixSeconds)
            FROM unnest(\(releases.map(\.deliveryID))::text[], \(releases.map(\.leaseToken))::bigint[]) AS r(id, token)
            WHERE d.id = r.id AND d.lease_token = r.token AND d.state = 'in_flight'
            """)
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

    /// A delivery's row after its batch's attempts, as `jsonb_to_recordset` reads it.
    struct DeliveryUpdate: Encodable {
        var id: String
        var state: String
        var next_attempt_at: Double?
        var last_status_code: Int?
        var last_error: String?
        var updated_at: Double
        /// Attempts this batch adds to `attempt_count`.
        var attempts = 1
    }

    /// An attempt row, as `jsonb_to_recordset` reads it.
    struct AttemptRow: Encodable {
        var id, tenant_id, delivery_id, event_id, endpoint_id: String
        var number: Int
        var url, request_headers: String
        var status_code: Int?
        var error_class, error_message, response_body: String?
        var duration_ms: Int
        var created_at: Double
        var next_retry_at: Double?
        var superseded: Bool
        var node: String?

        init(_ attempt: Attempt) {
            (id, tenant_id, delivery_id, event_id, endpoint_id) = (attempt.id, attempt.tenantID, attempt.deliveryID, attempt.eventID, attempt.endpointID)
            (number, url, request_headers) = (attempt.number, attempt.url, PostgresRows.json(attempt.requestHeaders))
            (status_code, error_class, error_message, response_body) = (attempt.statusCode, attempt.errorClass, attempt.errorMessage, attempt.responseBody)
            (duration_ms, created_at, next_retry_at) = (attempt.durationMilliseconds, attempt.createdAt.unixSeconds, attempt.nextRetryAt?.unixSeconds)
            (superseded, node) = (attempt.superseded, attempt.node)
        }
    }

    /// Attempts to insert and delivery rows to update, written in two statements.
    struct BatchWrites {
        var attempts: [Attempt] = []
        private var updates: [DeliveryUpdate] = []
        private var index: [String: Int] = [:]

        /// The delivery's row after this record; a second record of one delivery in a batch
        /// replaces the first's values and adds its attempt.
        mutating func update(_ update: DeliveryUpdate) {
            if let at = index[update.id] {
                let count = updates[at].attempts
                updates[at] = update
                updates[at].attempts = count + 1
            } else {
                index[update.id] = updates.count
                updates.append(update)
            }
        }

        mutating func flush(_ connection: PostgresConnection, _ logger: Logger) async throws {
            if !attempts.isEmpty {
                try await connection.rows(
                    """
                    INSERT INTO attempts (id, tenant_id, delivery_id, event_id, endpoint_id, number, url, request_headers,
                    status_code, error_class, error_message, response_body, duration_ms, created_at, next_retry_at, superseded, node)
                    SELECT id, tenant_id, delivery_id, event_id, endpoint_id, number, url, request_headers,
                    status_code, error_class, error_message, response_body, duration_ms, created_at, next_retry_at, superseded, node
                    FROM jsonb_to_recordset(\(PostgresRows.json(attempts.map(AttemptRow.init)))::jsonb) AS x(
                        id TEXT, tenant_id TEXT, delivery_id TEXT, event_id TEXT, endpoint_id TEXT, number BIGINT, url TEXT,
                        request_headers TEXT, status_code BIGINT, error_class TEXT, error_message TEXT, response_body TEXT,
                        duration_ms BIGINT, created_at DOUBLE PRECISION, next_retry_at DOUBLE PRECISION, superseded BOOLEAN, node TEXT)
                    ON CONFLICT (id) DO NOTHING
                    """, logger)
                attempts.removeAll()
            }
            if !updates.isEmpty {
                try await connection.rows(
                    """
                    UPDATE deliveries d SET state = u.state, attempt_count = d.attempt_count + u.attempts,
                    next_attempt_at = u.next_attempt_at, lease_expires_at = NULL, lease_token = NULL, lease_holder = NULL,
                    last_status_code = u.last_status_code, last_error = u.last_error, updated_at = u.updated_at
                    FROM jsonb_to_recordset(\(PostgresRows.json(updates))::jsonb) AS u(
                        id TEXT, state TEXT, next_attempt_at DOUBLE PRECISION, last_status_code BIGINT, last_error TEXT,
                        updated_at DOUBLE PRECISION, attempts BIGINT)
                    WHERE d.id = u.id
                    """, logger)
                updates.removeAll()
                index.removeAll()
            }
        }
    }

    /// Applies an endpoint health change; returns the events of deliveries it paused.
    private static func apply(
        _ change: EndpointHealthChange, endpointID: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [String] {
        switch change {
        case .succeeded:
            try await connection.rows(
                "UPDATE endpoints SET failing_since = NULL WHERE id = \(endpointID) AND failing_since IS NOT NULL", logger)
            return []
        case .failed(let at):
            try await connection.rows(
                "UPDATE endpoints SET failing_since = \(at.unixSeconds) WHERE id = \(endpointID) AND failing_since IS NULL", logger)
            return []
        case .disable(let reason, let at):
            try await connection.rows(
                """
                UPDATE endpoints SET enabled = FALSE, disabled_reason = \(reason), disabled_at = \(at.unixSeconds),
                failing_since = COALESCE(failing_since, \(at.unixSeconds)), updated_at = \(at.unixSeconds)
                WHERE id = \(endpointID) AND enabled
                """, logger)
            return try await pause(connection, endpointID: endpointID, at: at, logger).events
        }
    }
}
