import Hummingbird
import Logging

/// Turns every error, unmatched routes included, into the API's JSON error shape, and logs
/// unexpected ones without request bodies or secrets.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let mapped = APIError(error)
            if mapped.status == .internalServerError {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            }
            return try mapped.response(from: request, context: context)
        }
    }
}
