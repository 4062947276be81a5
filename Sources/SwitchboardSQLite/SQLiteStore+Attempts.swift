import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Records a batch of attempts in one write transaction. For each record, in order:
    ///
    /// 1. the attempt is stored (a record whose attempt id is already stored is applied again
    ///    without a second attempt row; one whose delivery does not exist is skipped);
    /// 2. the endpoint's health changes: `.succeeded` clears `failing_since`; `.failed(at)` sets
    ///    it unless already set; `.disable(reason, at)` disables the endpoint (reason, date, and
    ///    `failing_since` unless already set) and pauses its pending and scheduled deliveries;
    /// 3. the delivery takes the new state, `attempt_count = attempt.number`, the next due date,
    ///    the last status code and error class (`nil` when a
    ///    response came back), and loses its lease. A new state of `pending` or
    ///    `scheduled` becomes `paused` when the endpoint is disabled by then; a cancelled
    ///    delivery stays cancelled.
    ///
    /// Then the status of every touched event is recomputed from all its deliveries (`REPLAYED`
    /// is kept) and the events whose status changed are returned.
    public func recordAttempts(_ records: [AttemptRecord]) async throws -> [EventStatusChange] {
        guard !records.isEmpty else { return [] }
        let logger = logger
        return try await write { db in
            var touchedEvents: [String] = []
            for record in records {
                guard try Self.deliveryExists(db, id: record.attempt.deliveryID) else {
                    logger.warning("attempt for an unknown delivery not recorded", metadata: ["delivery": "\(record.attempt.deliveryID)"])
                    continue
                }
                try Self.insertAttempt(db, record.attempt)
                touchedEvents += try Self.apply(record.endpointChange, endpointID: record.attempt.endpointID, db)
                try Self.updateDelivery(db, record)
                touchedEvents.append(record.attempt.eventID)
            }
            return try Self.refreshEventStatuses(db, eventIDs: touchedEvents)
        }
    }

    private static func deliveryExists(_ db: Database, id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM deliveries WHERE id = ?"), arguments: [id]) ?? false
    }

    private static func insertAttempt(_ db: Database, _ attempt: Attempt) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO attempts (id, tenant_id, delivery_id, event_id, endpoint_id, number, url, request_headers,
                status_code, error_class, error_message, response_body, duration_ms, created_at, next_retry_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """
        ).execute(arguments: [
            attempt.id, attempt.tenantID, attempt.deliveryID, attempt.eventID, attempt.endpointID, attempt.number,
            attempt.url, Rows.json(attempt.requestHeaders), attempt.statusCode, attempt.errorClass, attempt.errorMessage,
            attempt.responseBody, attempt.durationMilliseconds, attempt.createdAt.unixSeconds, attempt.nextRetryAt?.unixSeconds,
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

    private static func updateDelivery(_ db: Database, _ record: AttemptRecord) throws {
        let attempt = record.attempt
        let enabled = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT enabled FROM endpoints WHERE id = ?"), arguments: [attempt.endpointID]) ?? false
        var state = record.deliveryState
        var nextAttemptAt = record.nextAttemptAt
        if Delivery.State.waiting.contains(state) {
            if !enabled { state = .paused }
            if nextAttemptAt == nil { nextAttemptAt = attempt.createdAt }
        }
        try db.cachedStatement(
            sql: """
                UPDATE deliveries SET state = ?, attempt_count = ?, next_attempt_at = ?, lease_expires_at = NULL,
                last_status_code = ?, last_error = ?, updated_at = ? WHERE id = ? AND state != 'cancelled'
                """
        ).execute(arguments: [
            state.rawValue, attempt.number, nextAttemptAt?.unixSeconds, attempt.statusCode,
            attempt.errorClass, attempt.createdAt.unixSeconds, attempt.deliveryID,
        ])
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
