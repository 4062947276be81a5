import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    public func claimDueDeliveries(_ request: ClaimRequest) async throws -> [DeliveryJob] {
        let now = request.now.unixSeconds
        let excluded = Array(request.excludedEndpointIDs)
        let placeholders = excluded.isEmpty ? "''" : excluded.map { _ in "?" }.joined(separator: ",")
        return try await write { db in
            let candidates = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.endpoint_id ORDER BY COALESCE(d.next_attempt_at, d.lease_expires_at), d.rowid) AS rank, d.rowid AS seq
                        FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
                        WHERE e.enabled = 1 AND d.endpoint_id NOT IN (\(placeholders)) AND (
                            (d.state IN ('pending', 'scheduled') AND d.next_attempt_at <= ?)
                            OR (d.state = 'in_flight' AND d.lease_expires_at <= ?))
                    ) WHERE rank <= ? ORDER BY COALESCE(next_attempt_at, lease_expires_at), seq LIMIT ?
                    """,
                arguments: StatementArguments(excluded) + [now, now, request.perEndpointLimit, request.limit])
            guard !candidates.isEmpty else { return [] }
            let lease = now + request.leaseDuration
            var jobs: [DeliveryJob] = []
            var events: [String: Event] = [:]
            var endpoints: [String: Endpoint] = [:]
            for row in candidates {
                var delivery = Rows.delivery(row)
                try db.execute(
                    sql: "UPDATE deliveries SET state = 'in_flight', lease_expires_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [lease, now, delivery.id])
                delivery.state = .inFlight
                delivery.leaseExpiresAt = Date(timeIntervalSince1970: lease)
                if events[delivery.eventID] == nil {
                    events[delivery.eventID] = try Row.fetchOne(db, sql: "SELECT * FROM events WHERE id = ?", arguments: [delivery.eventID]).map(Rows.event)
                }
                if endpoints[delivery.endpointID] == nil {
                    endpoints[delivery.endpointID] = try Row.fetchOne(db, sql: "SELECT * FROM endpoints WHERE id = ?", arguments: [delivery.endpointID]).map(Rows.endpoint)
                }
                if let event = events[delivery.eventID], let endpoint = endpoints[delivery.endpointID] {
                    jobs.append(DeliveryJob(delivery: delivery, event: event, endpoint: endpoint))
                }
            }
            return jobs
        }
    }

    public func nextDueDate() async throws -> Date? {
        try await read { db in
            let due = try Double.fetchOne(
                db,
                sql: """
                    SELECT MIN(t) FROM (
                        SELECT MIN(d.next_attempt_at) AS t FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
                        WHERE e.enabled = 1 AND d.state IN ('pending', 'scheduled')
                        UNION ALL SELECT MIN(lease_expires_at) FROM deliveries WHERE state = 'in_flight')
                    """)
            return due.map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func requeueInFlight(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, lease_expires_at = NULL, updated_at = ? WHERE state = 'in_flight'",
                arguments: [now.unixSeconds, now.unixSeconds])
            return db.changesCount
        }
    }

    public func recordAttempts(_ records: [AttemptRecord]) async throws -> [EventStatusChange] {
        try await write { db in
            var touchedEvents: [String] = []
            for record in records {
                let attempt = record.attempt
                let at = attempt.createdAt.unixSeconds
                try db.execute(
                    sql: """
                        INSERT INTO attempts (id, tenant_id, delivery_id, event_id, endpoint_id, number, url, request_headers, status_code,
                        error_class, error_message, response_body, duration_ms, created_at, next_retry_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        attempt.id, attempt.tenantID, attempt.deliveryID, attempt.eventID, attempt.endpointID, attempt.number, attempt.url,
                        Rows.json(attempt.requestHeaders), attempt.statusCode, attempt.errorClass, attempt.errorMessage,
                        attempt.responseBody, attempt.durationMilliseconds, at, attempt.nextRetryAt?.unixSeconds,
                    ])
                switch record.endpointChange {
                case .succeeded:
                    try db.execute(sql: "UPDATE endpoints SET failing_since = NULL WHERE id = ?", arguments: [attempt.endpointID])
                case .failed(let when):
                    try db.execute(sql: "UPDATE endpoints SET failing_since = COALESCE(failing_since, ?) WHERE id = ?", arguments: [when.unixSeconds, attempt.endpointID])
                case .disable(let reason, let when):
                    try db.execute(
                        sql: """
                            UPDATE endpoints SET enabled = 0, disabled_reason = ?, disabled_at = ?, failing_since = COALESCE(failing_since, ?),
                            updated_at = ? WHERE id = ? AND enabled = 1
                            """,
                        arguments: [reason, when.unixSeconds, when.unixSeconds, when.unixSeconds, attempt.endpointID])
                    touchedEvents += try Self.pause(db, endpointID: attempt.endpointID, at: when)
                }
                let enabled = try Bool.fetchOne(db, sql: "SELECT enabled FROM endpoints WHERE id = ?", arguments: [attempt.endpointID]) ?? false
                var state = record.deliveryState
                if !enabled, state == .pending || state == .scheduled { state = .paused }
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = ?, attempt_count = ?, next_attempt_at = ?, lease_expires_at = NULL,
                        last_status_code = ?, last_error = ?, updated_at = ? WHERE id = ? AND state != 'cancelled'
                        """,
                    arguments: [
                        state.rawValue, attempt.number, record.nextAttemptAt?.unixSeconds, attempt.statusCode, attempt.errorClass, at,
                        attempt.deliveryID,
                    ])
                touchedEvents.append(attempt.eventID)
            }
            return try Self.refreshEventStatuses(db, eventIDs: touchedEvents)
        }
    }

    /// Pauses the endpoint's waiting deliveries; returns the events they belong to.
    static func pause(_ db: Database, endpointID: String, at date: Date) throws -> [String] {
        let events = try String.fetchAll(
            db, sql: "SELECT DISTINCT event_id FROM deliveries WHERE endpoint_id = ? AND state IN ('pending', 'scheduled')", arguments: [endpointID])
        try db.execute(
            sql: "UPDATE deliveries SET state = 'paused', updated_at = ? WHERE endpoint_id = ? AND state IN ('pending', 'scheduled')",
            arguments: [date.unixSeconds, endpointID])
        return events
    }
}
