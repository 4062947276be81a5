import Hummingbird
import SwitchboardCore

/// `/v1/api-keys` (admin scope): create (the key is shown once), list, revoke.
struct APIKeyRoutes {
    let switchboard: Switchboard

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.post("api-keys") { request, context in
            let caller = try context.require(.admin)
            let (body, _) = try await RequestBody.read(request, limit: 64 * 1024)
            let scopeNames = try body.strings("scopes") ?? ["read"]
            var scopes = Set<APIKey.Scope>()
            for name in scopeNames {
                guard let scope = APIKey.Scope(rawValue: name) else { throw APIError.invalid("scopes", "'\(name.prefix(32))' is not one of read, write, admin") }
                scopes.insert(scope)
            }
            let (key, secret) = try await switchboard.createAPIKey(
                name: try body.string("name", required: true)!, tenant: try body.string("tenant") ?? caller.tenantID, scopes: scopes)
            return JSONCoding.response(.created, APIKeyDTO(key, secret: secret))
        }
        group.get("api-keys") { _, context in
            let caller = try context.require(.admin)
            return JSONCoding.response(.ok, ["api_keys": try await switchboard.apiKeys(tenant: caller.tenantID).map { APIKeyDTO($0) }])
        }
        group.delete("api-keys/:id") { _, context in
            let caller = try context.require(.admin)
            try await switchboard.revokeAPIKey(id: try context.parameters.require("id"), tenant: caller.tenantID)
            return Response(status: .noContent)
        }
    }
}
