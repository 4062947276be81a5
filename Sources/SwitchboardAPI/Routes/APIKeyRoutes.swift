import Foundation
import Hummingbird
import SwitchboardCore

/// `/v1/api-keys` (admin scope): create (the key is shown once), list, revoke.
///
/// Keys are listed within the caller's tenant. A key is created in the caller's tenant unless
/// `tenant` says otherwise, which only an admin of the operator's `default` tenant may do; such
/// an admin may also revoke any tenant's key. Any other tenant's admin stays within its tenant.
struct APIKeyRoutes {
    let switchboard: Switchboard

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.post("api-keys") { request, context in
            let caller = try context.require(.admin)
            let body = try await RequestBody.read(request, limit: 16 * 1024)
            let name = try body.requiredString("name")
            guard !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw APIError.invalid("name", "must be 1–128 characters") }
            let tenant = try body.string("tenant") ?? caller.tenantID
            if tenant != caller.tenantID, caller.tenantID != .defaultTenant {
                throw APIError(
                    status: .forbidden, code: "insufficient_scope",
                    message: "only an admin key of the default tenant may create keys for another tenant")
            }
            let scopes = try Self.scopes(try body.strings("scopes") ?? [APIKey.Scope.read.rawValue])
            let (key, secret) = try await switchboard.createAPIKey(name: name, tenant: tenant, scopes: scopes)
            return JSONCoding.response(.created, APIKeyDTO(key, secret: secret))
        }
        group.get("api-keys") { request, context in
            let caller = try context.require(.admin)
            let page = try ListPage(try await switchboard.apiKeys(tenant: caller.tenantID), request: request) {
                ListPage<APIKey>.key($0.createdAt, $0.id)
            }
            return JSONCoding.response(.ok, APIKeyListDTO(apiKeys: page.items.map { APIKeyDTO($0) }, nextCursor: page.nextCursor))
        }
        group.delete("api-keys/:id") { _, context in
            let caller = try context.require(.admin)
            // The default tenant's admins may revoke the keys they may create: any tenant's.
            let scope: TenantID? = caller.tenantID == .defaultTenant ? nil : caller.tenantID
            try await switchboard.revokeAPIKey(id: try context.id, tenant: scope)
            return Response(status: .noContent)
        }
    }

    static func scopes(_ names: [String]) throws -> Set<APIKey.Scope> {
        var scopes = Set<APIKey.Scope>()
        for name in names {
            guard let scope = APIKey.Scope(rawValue: name) else {
                throw APIError.invalid("scopes", "'\(name.prefix(32))' is not one of read, write, admin")
            }
            scopes.insert(scope)
        }
        return scopes
    }
}

/// `GET /v1/api-keys`, oldest first, revoked keys included.
struct APIKeyListDTO: Encodable {
    var apiKeys: [APIKeyDTO]
    /// Pass as `cursor` for the next page; absent on the last one.
    var nextCursor: String?
}
