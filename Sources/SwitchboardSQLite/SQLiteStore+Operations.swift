import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Moves the endpoint's pending and scheduled deliveries to `paused`, keeping their due
    /// dates; returns how many (0 when the endpoint is not in `tenant`).
    public func pauseDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int {
        try await write { db in
            guard try Self.endpointEnabled(db, id: endpointID, tenant: tenant) != nil else { return 0 }
            return try Self.pause(db, endpointID: endpointID, at: date).count
        }
    }

    /// Moves the endpoint's paused deliveries to `pending`, all due at `date`, so that claims
    /// take them in their original (insertion) order; returns how many.
    ///
    /// Nothing moves while the endpoint is disabled (enable it first), nor when it is not in
    /// `tenant`: a disabled endpoint never has pending deliveries.
    public func resumeDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int {
        try await write { db in
            guard try Self.endpointEnabled(db, id: endpointID, tenant: tenant) == true else { return 0 }
            try db.execute(
                sql: """
                    UPDATE deliveries SET state = 'pending', next_attempt_at = ?1, updated_at = ?1
                    WHERE endpoint_id = ?2 AND state = 'paused'
                    """,
                arguments: [date.unixSeconds, endpointID])
            return db.changesCount
        }
    }

    /// Makes one delivery due at `date` whatever its state, except in flight or cancelled (then
    /// it is returned unchanged), and recomputes its event's status (`QUEUED` again unless
    /// `REPLAYED`). The delivery becomes `pending`, or `paused` when its endpoint is disabled.
    /// Its attempt count is kept. Returns the delivery as stored, `nil` when absent from `tenant`.
    public func requeueDelivery(id: String, tenant: TenantID, at date: Date) async throws -> Delivery? {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE id = ? AND tenant_id = ?", arguments: [id, tenant])
            else { return nil }
            var delivery = Rows.delivery(row)
            guard delivery.state != .inFlight, delivery.state != .cancelled else { return delivery }
            let enabled = try Self.endpointEnabled(db, id: delivery.endpointID, tenant: tenant) ?? false
            delivery.state = enabled ? .pending : .paused
            delivery.nextAttemptAt = date
            delivery.leaseExpiresAt = nil
            delivery.updatedAt = date
            try db.execute(
                sql: "UPDATE deliveries SET state = ?, next_attempt_at = ?2, lease_expires_at = NULL, updated_at = ?2 WHERE id = ?3",
                arguments: [delivery.state.rawValue, date.unixSeconds, id])
            _ = try Self.refreshEventStatuses(db, eventIDs: [delivery.eventID])
            return delivery
        }
    }

    /// Requeues the endpoint's failed deliveries created in `since..<until`, oldest first, due at
    /// `date` (`paused` instead when the endpoint is disabled); recomputes their events'
    /// statuses and returns the deliveries as stored.
    public func requeueFailedDeliveries(
        endpointID: String, tenant: TenantID, since: Date, until: Date, at date: Date
    ) async throws -> [Delivery] {
        try await write { db in
            guard let enabled = try Self.endpointEnabled(db, id: endpointID, tenant: tenant) else { return [] }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM deliveries WHERE endpoint_id = ? AND state = 'failed' AND created_at >= ? AND created_at < ?
                    ORDER BY created_at, seq
                    """,
                arguments: [endpointID, since.unixSeconds, until.unixSeconds])
            let state: Delivery.State = enabled ? .pending : .paused
            let update = try db.cachedStatement(
                sql: "UPDATE deliveries SET state = ?, next_attempt_at = ?, lease_expires_at = NULL, updated_at = ? WHERE seq = ?")
            let requeued = try rows.map { row in
                try update.execute(arguments: [state.rawValue, date.unixSeconds, date.unixSeconds, row["seq"] as Int64])
                var delivery = Rows.delivery(row)
                delivery.state = state
                delivery.nextAttemptAt = date
                delivery.leaseExpiresAt = nil
                delivery.updatedAt = date
                return delivery
            }
            _ = try Self.refreshEventStatuses(db, eventIDs: requeued.map(\.eventID))
            return requeued
        }
    }

    /// Requeues the event's failed deliveries to enabled endpoints, oldest first, due at `date`
    /// (attempt count kept), and recomputes the event's status, in one transaction; returns
    /// the deliveries as stored. Deliveries to disabled or deleted endpoints stay `failed`.
    public func requeueFailedDeliveries(eventID: String, tenant: TenantID, at date: Date) async throws -> [Delivery] {
        try await write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.* FROM deliveries d JOIN endpoints ep ON ep.id = d.endpoint_id AND ep.enabled = 1
                    WHERE d.event_id = ? AND d.tenant_id = ? AND d.state = 'failed'
                    ORDER BY d.created_at, d.seq
                    """,
                arguments: [eventID, tenant])
            guard !rows.isEmpty else { return [] }
            let update = try db.cachedStatement(
                sql: "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, lease_expires_at = NULL, updated_at = ? WHERE seq = ?")
            let requeued = try rows.map { row in
                try update.execute(arguments: [date.unixSeconds, date.unixSeconds, row["seq"] as Int64])
                var delivery = Rows.delivery(row)
                delivery.state = .pending
                delivery.nextAttemptAt = date
                delivery.leaseExpiresAt = nil
                delivery.updatedAt = date
                return delivery
            }
            _ = try Self.refreshEventStatuses(db, eventIDs: [eventID])
            return requeued
        }
    }
}
