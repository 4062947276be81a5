import Hummingbird
import SwitchboardCore

/// The per-request context: Hummingbird's core storage and, on `/v1` routes, the caller's
/// authenticated API key.
public struct SwitchboardRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's key; set by the authentication middleware on every `/v1` route.
    public var apiKey: APIKey?

    /// A context for a new request, not yet authenticated.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        apiKey = nil
    }

    /// The authenticated key, after checking that it grants `scope` (`admin` implies
    /// `write`, which implies `read`): 401 without a key, 403 naming the missing scope.
    func require(_ scope: APIKey.Scope) throws -> APIKey {
        guard let apiKey else { throw APIError.unauthorized }
        guard apiKey.allows(scope) else { throw APIError.forbidden(lacking: scope) }
        return apiKey
    }

    /// The `id` path parameter.
    var id: String {
        get throws { try parameters.require("id") }
    }
}
