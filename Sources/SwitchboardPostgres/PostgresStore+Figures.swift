import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Events, deliveries and attempts of `tenant` created at or after `since`; attempts split
    /// into successful (2xx) and failed (anything else, network errors included).
    public func usage(tenant: TenantID, since: Date) async throws -> Usage {
        let start = since.unixSeconds
        let rows = try await rows(
            """
            SELECT
                (SELECT COUNT(*) FROM events WHERE tenant_id = \(tenant) AND created_at >= \(start)),
                (SELECT COUNT(*) FROM deliveries WHERE tenant_id = \(tenant) AND created_at >= \(start)),
                (SELECT COUNT(*) FROM attempts WHERE tenant_id = \(tenant) AND created_at >= \(start)),
                (SELECT COUNT(*) FROM attempts WHERE tenant_id = \(tenant) AND created_at >= \(start)
                    AND status_code BETWEEN 200 AND 299)
            """)
        guard let row = rows.first else { return Usage() }
        let (events, deliveries, attempts, succeeded) = try row.decode((Int, Int, Int, Int).self)
        return Usage(
            eventsPublished: events, deliveries: deliveries, attempts: attempts, successfulAttempts: succeeded,
            failedAttempts: attempts - succeeded)
    }

    /// Queue depth (pending and scheduled), paused and in-flight deliveries, and endpoints:
    /// enabled (failing ones included), failing, disabled. Across tenants.
    public func gauges() async throws -> StoreGauges {
        var gauges = StoreGauges()
        let states = try await rows(
            """
            SELECT state, COUNT(*) FROM deliveries
            WHERE state IN ('pending', 'scheduled', 'paused', 'in_flight') GROUP BY state
            """)
        for row in states {
            let (state, count) = try row.decode((String, Int).self)
            switch Delivery.State(rawValue: state) {
            case .pending, .scheduled: gauges.queueDepth += count
            case .paused: gauges.pausedDeliveries = count
            case .inFlight: gauges.inFlightDeliveries = count
            default: break
            }
        }
        if let row = try await rows(
            """
            SELECT COUNT(*) FILTER (WHERE enabled), COUNT(*) FILTER (WHERE enabled AND failing_since IS NOT NULL),
                COUNT(*) FILTER (WHERE NOT enabled) FROM endpoints
            """
        ).first {
            (gauges.enabledEndpoints, gauges.failingEndpoints, gauges.disabledEndpoints) = try row.decode((Int, Int, Int).self)
        }
        return gauges
    }
}
