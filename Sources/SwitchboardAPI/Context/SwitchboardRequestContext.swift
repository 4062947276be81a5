import Hummingbird
import SwitchboardCore

/// The per-request context: Hummingbird's core storage and the caller's API key once authenticated.
public struct SwitchboardRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` on every `/v1` route.
    public var apiKey: APIKey?

    public init(source: Source) {
        coreContext = .init(source: source)
        apiKey = nil
    }

    /// The authenticated key, after checking it grants `scope`.
    func require(_ scope: APIKey.Scope) throws -> APIKey {
        guard let apiKey else { throw APIError.unauthorized }
        guard apiKey.allows(scope) else {
            throw APIError(status: .forbidden, code: "insufficient_scope", message: "this API key lacks the \(scope.rawValue) scope")
        }
        return apiKey
    }
}
