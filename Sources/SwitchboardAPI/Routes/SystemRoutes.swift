import Foundation
import Hummingbird
import SwitchboardCore

/// `/healthz` and `/v1/usage/current`.
struct SystemRoutes {
    let switchboard: Switchboard

    func registerPublic(on router: Router<SwitchboardRequestContext>) {
        router.get("healthz") { _, _ in
            do {
                try await switchboard.store.checkHealth()
                return JSONCoding.response(.ok, ["status": "ok", "store": "ok"])
            } catch {
                return JSONCoding.response(.serviceUnavailable, ["status": "degraded", "store": "unavailable"])
            }
        }
    }

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.get("usage/current") { _, context in
            let key = try context.require(.read)
            let (usage, start) = try await switchboard.currentUsage(tenant: key.tenantID)
            return JSONCoding.response(.ok, UsageDTO(
                periodStart: start, eventsPublished: usage.eventsPublished, deliveries: usage.deliveries, attempts: usage.attempts,
                successes: usage.successfulAttempts, failures: usage.failedAttempts))
        }
    }

    struct UsageDTO: Encodable {
        var periodStart: Date
        var eventsPublished: Int
        var deliveries: Int
        var attempts: Int
        var successes: Int
        var failures: Int
    }
}
