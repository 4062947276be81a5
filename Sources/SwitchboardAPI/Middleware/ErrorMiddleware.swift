import Hummingbird
import Logging

/// Turns every error, unmatched routes included, into the API's JSON error shape
/// (see ``APIError``), and logs unexpected ones by type only: never a body, header or secret.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Hummingbird's not-found responder: either no such path or no such method for it.
            let allowed = routes.allowedMethods(for: request.uri.path)
            guard !allowed.isEmpty else { return try APIError.noSuchRoute.response(from: request, context: context) }
            var response = try APIError.methodNotAllowed.response(from: request, context: context)
            response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return response
        } catch {
            let mapped = APIError(error)
            if mapped.status == .internalServerError {
                context.logger.error(
                    "request failed",
                    metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error_type": "\(type(of: error))"])
            }
            return try mapped.response(from: request, context: context)
        }
    }
}
