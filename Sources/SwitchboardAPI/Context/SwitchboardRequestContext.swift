import Hummingbird
import NIOCore
import SwitchboardCore

/// The per-request context: Hummingbird's core storage and, on `/v1` routes, the caller's
/// authenticated API key.
public struct SwitchboardRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's key; set by the authentication middleware on every `/v1` route.
    public var apiKey: APIKey?
    /// The peer's IP address, which failed authentication is limited by; `nil` when the
    /// transport has none (in-process tests). Forwarding headers are not trusted.
    public let clientAddress: String?

    /// A context for a new request, not yet authenticated.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        apiKey = nil
        clientAddress = source.channel.remoteAddress?.ipAddress
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
