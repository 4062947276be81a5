import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    public func pauseDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int {
        try await write { db in
            guard try Self.endpointExists(db, endpointID, tenant) else { return 0 }
            return try Self.pause(db, endpointID: endpointID, at: date).isEmpty ? 0 : db.changesCount
        }
    }

    public func resumeDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int {
        try await write { db in
            guard try Self.endpointExists(db, endpointID, tenant) else { return 0 }
            // Every paused delivery is due now; the claim orders equal due times by rowid, which is creation order.
            try db.execute(
                sql: "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE endpoint_id = ? AND state = 'paused'",
                arguments: [date.unixSeconds, date.unixSeconds, endpointID])
            return db.changesCount
        }
    }

    public func requeueDelivery(id: String, tenant: TenantID, at date: Date) async throws -> Delivery? {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE deliveries SET state = 'pending', next_attempt_at = ?, lease_expires_at = NULL, updated_at = ?
                    WHERE id = ? AND tenant_id = ? AND state NOT IN ('in_flight', 'cancelled')
                    """,
                arguments: [date.unixSeconds, date.unixSeconds, id, tenant])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE id = ? AND tenant_id = ?", arguments: [id, tenant]) else { return nil }
            let delivery = Rows.delivery(row)
            _ = try Self.refreshEventStatuses(db, eventIDs: [delivery.eventID])
            return delivery
        }
    }

    public func requeueFailedDeliveries(endpointID: String, tenant: TenantID, since: Date, until: Date, at date: Date) async throws -> [Delivery] {
        try await write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM deliveries WHERE endpoint_id = ? AND tenant_id = ? AND state = 'failed'
                    AND created_at >= ? AND created_at < ? ORDER BY created_at, rowid
                    """,
                arguments: [endpointID, tenant, since.unixSeconds, until.unixSeconds])
            var requeued: [Delivery] = []
            for row in rows {
                var delivery = Rows.delivery(row)
                try db.execute(
                    sql: "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [date.unixSeconds, date.unixSeconds, delivery.id])
                delivery.state = .pending
                delivery.nextAttemptAt = date
                delivery.updatedAt = date
                requeued.append(delivery)
            }
            _ = try Self.refreshEventStatuses(db, eventIDs: requeued.map(\.eventID))
            return requeued
        }
    }

    public func usage(tenant: TenantID, since: Date) async throws -> Usage {
        try await read { db in
            let start = since.unixSeconds
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE tenant_id = ? AND created_at >= ?", arguments: [tenant, start]) ?? 0
            let deliveries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deliveries WHERE tenant_id = ? AND created_at >= ?", arguments: [tenant, start]) ?? 0
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS total, COALESCE(SUM(status_code BETWEEN 200 AND 299), 0) AS ok
                    FROM attempts WHERE tenant_id = ? AND created_at >= ?
                    """,
                arguments: [tenant, start])
            let attempts: Int = row?["total"] ?? 0
            let successes: Int = row?["ok"] ?? 0
            return Usage(eventsPublished: events, deliveries: deliveries, attempts: attempts, successfulAttempts: successes, failedAttempts: attempts - successes)
        }
    }

    public func gauges() async throws -> StoreGauges {
        try await read { db in
            var gauges = StoreGauges()
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM deliveries WHERE state IN ('pending','scheduled','paused','in_flight') GROUP BY state") {
                let count: Int = row["n"]
                switch row["state"] as String {
                case "pending", "scheduled": gauges.queueDepth += count
                case "paused": gauges.pausedDeliveries = count
                default: gauges.inFlightDeliveries = count
                }
            }
            let endpoints = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(enabled = 1 AND failing_since IS NULL), 0) AS healthy,
                    COALESCE(SUM(enabled = 1 AND failing_since IS NOT NULL), 0) AS failing, COALESCE(SUM(enabled = 0), 0) AS disabled FROM endpoints
                    """)
            gauges.failingEndpoints = endpoints?["failing"] ?? 0
            gauges.enabledEndpoints = (endpoints?["healthy"] ?? 0) + gauges.failingEndpoints
            gauges.disabledEndpoints = endpoints?["disabled"] ?? 0
            return gauges
        }
    }

    static func endpointExists(_ db: Database, _ id: String, _ tenant: TenantID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM endpoints WHERE id = ? AND tenant_id = ?", arguments: [id, tenant]) ?? false
    }
}
