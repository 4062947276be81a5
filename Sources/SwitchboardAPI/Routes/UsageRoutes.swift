import Hummingbird
import SwitchboardCore

/// `GET /v1/usage/current`: the caller's tenant's figures this calendar month (UTC).
struct UsageRoutes {
    let switchboard: Switchboard

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.get("usage/current") { _, context in
            let key = try context.require(.read)
            let (usage, start) = try await switchboard.currentUsage(tenant: key.tenantID)
            return JSONCoding.response(.ok, UsageDTO(usage, periodStart: start))
        }
    }
}
