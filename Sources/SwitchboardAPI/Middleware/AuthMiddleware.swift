import Hummingbird
import SwitchboardCore

/// Authenticates `Authorization: Bearer sbk_…` and stores the key in the context; 401 otherwise.
///
/// Failed authentication is limited per client address (``APILimits/authFailures``): once an
/// address has spent its bucket, its requests are answered 429 before any key is looked up,
/// so guessing keys costs the server nothing but the answer. Writes (every method but `GET`,
/// `HEAD` and `OPTIONS`) are limited per API key (``APILimits/writes``) and carry the
/// `RateLimit-*` headers.
struct AuthMiddleware: RouterMiddleware {
    let switchboard: Switchboard
    let limits: APILimits

    func handle(
        _ request: Request, context: SwitchboardRequestContext,
        next: (Request, SwitchboardRequestContext) async throws -> Response
    ) async throws -> Response {
        let address = context.clientAddress ?? "unknown"
        let failures = limits.authFailures.peek(address)
        guard failures.allowed else {
            throw APIError.rateLimited(failures, "too many failed authentication attempts from this address")
        }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw failedAuthentication(address)
        }
        let presented = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let key = try await switchboard.authenticate(presentedKey: presented) else { throw failedAuthentication(address) }
        var context = context
        context.apiKey = key
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        let decision = limits.writes.acquire(key.id)
        guard decision.allowed else { throw APIError.rateLimited(decision, "too many write requests for this API key") }
        var response = try await next(request, context)
        if limits.writes.isEnabled { response.headers.append(contentsOf: APIError.rateLimitHeaders(decision)) }
        return response
    }

    /// 401, or 429 once the address has failed too often.
    private func failedAuthentication(_ address: String) -> APIError {
        let decision = limits.authFailures.acquire(address)
        return decision.allowed ? .unauthorized : .rateLimited(decision, "too many failed authentication attempts from this address")
    }
}
