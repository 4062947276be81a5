import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Events, deliveries and attempts of `tenant` created at or after `since`; attempts split
    /// into successful (2xx) and failed (anything else, network errors included).
    public func usage(tenant: TenantID, since: Date) async throws -> Usage {
        try await read { db in
            let start = since.unixSeconds
            let events = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM events WHERE tenant_id = ? AND created_at >= ?", arguments: [tenant, start]) ?? 0
            let deliveries = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM deliveries WHERE tenant_id = ? AND created_at >= ?", arguments: [tenant, start]) ?? 0
            let attempts = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS total, COALESCE(SUM(status_code BETWEEN 200 AND 299), 0) AS succeeded
                    FROM attempts WHERE tenant_id = ? AND created_at >= ?
                    """,
                arguments: [tenant, start])
            let total: Int = attempts?["total"] ?? 0
            let succeeded: Int = attempts?["succeeded"] ?? 0
            return Usage(
                eventsPublished: events, deliveries: deliveries, attempts: total, successfulAttempts: succeeded,
                failedAttempts: total - succeeded)
        }
    }

    /// Queue depth (pending and scheduled), paused and in-flight deliveries, and endpoints:
    /// enabled (failing ones included), failing (enabled with `failing_since` set), disabled.
    /// Across tenants.
    public func gauges() async throws -> StoreGauges {
        try await read { db in
            var gauges = StoreGauges()
            let states = try Row.fetchAll(
                db,
                sql: """
                    SELECT state, COUNT(*) AS n FROM deliveries
                    WHERE state IN ('pending', 'scheduled', 'paused', 'in_flight') GROUP BY state
                    """)
            for row in states {
                let count: Int = row["n"]
                switch Delivery.State(rawValue: row["state"]) {
                case .pending, .scheduled: gauges.queueDepth += count
                case .paused: gauges.pausedDeliveries = count
                case .inFlight: gauges.inFlightDeliveries = count
                default: break
                }
            }
            if let endpoints = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(enabled = 1), 0) AS enabled,
                           COALESCE(SUM(enabled = 1 AND failing_since IS NOT NULL), 0) AS failing,
                           COALESCE(SUM(enabled = 0), 0) AS disabled
                    FROM endpoints
                    """)
            {
                gauges.enabledEndpoints = endpoints["enabled"]
                gauges.failingEndpoints = endpoints["failing"]
                gauges.disabledEndpoints = endpoints["disabled"]
            }
            return gauges
        }
    }
}
