import Hummingbird
import SwitchboardCore

/// Authenticates `Authorization: Bearer sbk_…` and stores the key in the context; 401 otherwise.
struct AuthMiddleware: RouterMiddleware {
    let switchboard: Switchboard

    func handle(
        _ request: Request, context: SwitchboardRequestContext,
        next: (Request, SwitchboardRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthorized
        }
        let presented = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let key = try await switchboard.authenticate(presentedKey: presented) else { throw APIError.unauthorized }
        var context = context
        context.apiKey = key
        return try await next(request, context)
    }
}
