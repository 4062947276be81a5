import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Moves the endpoint's pending and scheduled deliveries to `paused`, keeping their due
    /// dates; returns how many (0 when the endpoint is not in `tenant`).
    public func pauseDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int {
        try await transaction { connection in
            guard try await Self.lockEndpoint(connection, id: endpointID, tenant: tenant, logger) != nil else { return 0 }
            return try await Self.pause(connection, endpointID: endpointID, at: date, logger).count
        }
    }

    /// Moves the endpoint's paused deliveries to `pending`, all due at `date`; returns how many.
    /// Nothing moves while the endpoint is disabled, nor when it is not in `tenant`.
    public func resumeDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int {
        try await transaction { connection in
            guard try await Self.lockEndpoint(connection, id: endpointID, tenant: tenant, logger) == true else { return 0 }
            let resumed = try await connection.rows(
                """
                UPDATE deliveries SET state = 'pending', next_attempt_at = \(date.unixSeconds), updated_at = \(date.unixSeconds)
                WHERE endpoint_id = \(endpointID) AND state = 'paused' RETURNING 1
                """, logger
            ).count
            if resumed > 0 { try await wakeOthers(connection) }
            return resumed
        }
    }

    /// Makes one delivery due at `date` whatever its state, except in flight or cancelled (then
    /// it is returned unchanged), and recomputes its event's status. Returns the delivery as
    /// stored, `nil` when absent from `tenant`.
    public func requeueDelivery(id: String, tenant: TenantID, at date: Date) async throws -> Delivery? {
        try await transaction { connection in
            guard let row = try await connection.rows(
                "SELECT * FROM deliveries WHERE id = \(id) AND tenant_id = \(tenant) FOR UPDATE", logger
            ).first else { return nil }
            var delivery = try PostgresRows.delivery(row)
            guard delivery.state != .inFlight, delivery.state != .cancelled else { return delivery }
            let enabled = try await connection.rows(
                "SELECT enabled FROM endpoints WHERE id = \(delivery.endpointID) AND tenant_id = \(tenant)", logger
            ).first?.decode(Bool.self) ?? false
            delivery.state = enabled ? .pending : .paused
            delivery.nextAttemptAt = date
            delivery.leaseExpiresAt = nil
            delivery.updatedAt = date
            try await connection.rows(
                """
                UPDATE deliveries SET state = \(delivery.state.rawValue), next_attempt_at = \(date.unixSeconds),
                lease_expires_at = NULL, updated_at = \(date.unixSeconds) WHERE id = \(id)
                """, logger)
            _ = try await Self.refreshEventStatuses(connection, eventIDs: [delivery.eventID], logger)
            if delivery.state == .pending { try await wakeOthers(connection) }
            return delivery
        }
    }

    /// Requeues the endpoint's failed deliveries created in `since..<until`, oldest first, due
    /// at `date` (`paused` when the endpoint is disabled); returns them as stored.
    public func requeueFailedDeliveries(
        endpointID: String, tenant: TenantID, since: Date, until: Date, at date: Date
    ) async throws -> [Delivery] {
        try await transaction { connection in
            guard let enabled = try await Self.lockEndpoint(connection, id: endpointID, tenant: tenant, logger) else { return [] }
            let state: Delivery.State = enabled ? .pending : .paused
            let rows = try await connection.rows(
                """
                WITH chosen AS (
                    SELECT seq FROM deliveries WHERE endpoint_id = \(endpointID) AND state = 'failed'
                    AND created_at >= \(since.unixSeconds) AND created_at < \(until.unixSeconds) FOR UPDATE)
                UPDATE deliveries d SET state = \(state.rawValue), next_attempt_at = \(date.unixSeconds), lease_expires_at = NULL,
                updated_at = \(date.unixSeconds) FROM chosen WHERE d.seq = chosen.seq
                RETURNING d.*
                """, logger)
            let requeued = try rows.map { row in
                (delivery: try PostgresRows.delivery(row), seq: try row.makeRandomAccess()["seq"].decode(Int64.self))
            }.sorted { $0.delivery.createdAt != $1.delivery.createdAt ? $0.delivery.createdAt < $1.delivery.createdAt : $0.seq < $1.seq }
                .map(\.delivery)
            _ = try await Self.refreshEventStatuses(connection, eventIDs: requeued.map(\.eventID), logger)
            if state == .pending, !requeued.isEmpty { try await wakeOthers(connection) }
            return requeued
        }
    }
}
