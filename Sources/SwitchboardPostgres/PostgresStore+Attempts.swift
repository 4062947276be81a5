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
                    try await Self.insertAttempt(connection, attempt, logger)
                    current[attempt.deliveryID] = row
                    recording.attempts.append(attempt)
                    recording.deliveryStates.append(nil)
                    continue
                }
                try await Self.insertAttempt(connection, attempt, logger)
                let kind = HealthChangeKind(record.endpointChange)
                if kind == .disable || lastHealthChange[attempt.endpointID] != kind {
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
                try await connection.rows(
                    """
                    UPDATE deliveries SET state = \(state.rawValue), attempt_count = attempt_count + 1,
                    next_attempt_at = \(nextAttemptAt?.unixSeconds), lease_expires_at = NULL, lease_token = NULL,
                    last_status_code = \(attempt.statusCode), last_error = \(attempt.errorClass),
                    updated_at = \(attempt.createdAt.unixSeconds) WHERE id = \(attempt.deliveryID)
                    """, logger)
                row.token = nil
                row.state = state.rawValue
                current[attempt.deliveryID] = row
                recording.attempts.append(attempt)
                recording.deliveryStates.append(state)
                touchedEvents.append(attempt.eventID)
            }
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
            lease_token = NULL, updated_at = \(date.unixSeconds)
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

    private static func insertAttempt(_ connection: PostgresConnection, _ attempt: Attempt, _ logger: Logger) async throws {
        try await connection.rows(
            """
            INSERT INTO attempts (id, tenant_id, delivery_id, event_id, endpoint_id, number, url, request_headers,
            status_code, error_class, error_message, response_body, duration_ms, created_at, next_retry_at, superseded, node)
            VALUES (\(attempt.id), \(attempt.tenantID), \(attempt.deliveryID), \(attempt.eventID), \(attempt.endpointID),
            \(attempt.number), \(attempt.url), \(PostgresRows.json(attempt.requestHeaders)), \(attempt.statusCode),
            \(attempt.errorClass), \(attempt.errorMessage), \(attempt.responseBody), \(attempt.durationMilliseconds),
            \(attempt.createdAt.unixSeconds), \(attempt.nextRetryAt?.unixSeconds), \(attempt.superseded), \(attempt.node))
            ON CONFLICT (id) DO NOTHING
            """, logger)
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
