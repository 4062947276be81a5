import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore

/// An error answered as `{"error": {"code", "message"}}` with its HTTP status.
///
/// This file is the one place where failures become HTTP: ``APIError/init(_:)`` maps every
/// error the API can meet (``SwitchboardError``, ``StoreError``, Hummingbird's `HTTPError`,
/// decoding failures), and anything unexpected becomes a generic 500 that reveals nothing.
/// Messages never contain a secret: they are built from field names and ids only.
public struct APIError: HTTPResponseError, Sendable {
    /// The HTTP status of the response.
    public let status: HTTPResponse.Status
    /// Stable machine-readable code, e.g. `validation_failed`, `endpoint_not_found`.
    public let code: String
    /// A human-readable explanation, safe to show the caller.
    public let message: String
    /// Headers the response carries besides `Content-Type` (e.g. `Retry-After` on 429).
    public var headers: HTTPFields = [:]

    /// An error with an explicit status, code and message.
    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static let unauthorized = APIError(
        status: .unauthorized, code: "unauthorized",
        message: "missing, unknown or revoked API key; send Authorization: Bearer sbk_…")

    static let noSuchRoute = APIError(status: .notFound, code: "not_found", message: "no such route")

    static let methodNotAllowed = APIError(
        status: .methodNotAllowed, code: "method_not_allowed", message: "this route does not accept that method")

    static let payloadTooLarge = APIError(
        status: .contentTooLarge, code: "payload_too_large", message: "the request body is larger than allowed")

    static let headersTooLarge = APIError(
        status: .requestHeaderFieldsTooLarge, code: "headers_too_large", message: "the request headers are larger than allowed")

    static let unsupportedMediaType = APIError(
        status: .unsupportedMediaType, code: "unsupported_media_type", message: "send the body as JSON with Content-Type: application/json")

    /// Too many requests (429) with `Retry-After` and the `RateLimit-*` headers of `decision`.
    static func rateLimited(_ decision: RateLimiter.Decision, _ message: String) -> APIError {
        var error = APIError(status: .tooManyRequests, code: "rate_limited", message: "\(message); retry after \(decision.retryAfterSeconds) s")
        error.headers = rateLimitHeaders(decision)
        error.headers[.retryAfter] = String(max(1, decision.retryAfterSeconds))
        return error
    }

    /// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` for `decision`.
    static func rateLimitHeaders(_ decision: RateLimiter.Decision) -> HTTPFields {
        [.rateLimitLimit: String(decision.limit), .rateLimitRemaining: String(decision.remaining), .rateLimitReset: String(decision.resetSeconds)]
    }

    /// The caller's key lacks `scope` (403).
    static func forbidden(lacking scope: APIKey.Scope) -> APIError {
        APIError(status: .forbidden, code: "insufficient_scope", message: "this API key lacks the \(scope.rawValue) scope")
    }

    /// The body is not JSON, or not the JSON shape the route takes at all (400).
    static func invalidJSON(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_json", message: message)
    }

    /// A query or path parameter of a search, triage or lookup route cannot be used (400,
    /// `invalid_parameter`); the message names the parameter and what it accepts.
    static func badParameter(_ name: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_parameter", message: "\(name): \(message)")
    }

    /// A field or parameter is missing, has the wrong type or an invalid value (422).
    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(status: .unprocessableContent, code: "validation_failed", message: "\(field): \(message)")
    }

    /// Maps any error to the response a caller sees.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as SwitchboardError:
            let status: HTTPResponse.Status =
                switch error.kind {
                case .validation: .unprocessableContent
                case .badRequest: .badRequest
                case .notFound: .notFound
                case .unauthorized: .unauthorized
                case .conflict: .conflict
                case .tooLarge: .contentTooLarge
                case .unavailable: .serviceUnavailable
                case .rateLimited: .tooManyRequests
                }
            self.init(status: status, code: error.code, message: error.message)
            if case .rateLimited(let decision) = error.kind { self = .rateLimited(decision, error.message) }
        case let error as StoreError:
            if error.isNotFound {
                self.init(status: .notFound, code: "not_found", message: error.description)
            } else if error.isConflict {
                self.init(status: .conflict, code: "conflict", message: error.description)
            } else {
                self.init(status: .serviceUnavailable, code: "store_unavailable", message: "the store is unavailable; try again")
            }
        case let error as HTTPError:
            self.init(status: error.status)
        case let error as any HTTPResponseError:
            // Other framework errors with a status, e.g. NIO's "too many bytes" from
            // `request.body.collect(upTo:)`, which is a 413.
            self.init(status: error.status)
        case is DecodingError:
            self = .invalidJSON("the request body does not have the expected JSON shape")
        default:
            self.init(status: .internalServerError, code: "internal_error", message: "an internal error occurred; it has been logged")
        }
    }

    /// The error for a status a framework error carries, with Switchboard's codes and messages.
    private init(status: HTTPResponse.Status) {
        switch status {
        case .contentTooLarge:
            self = .payloadTooLarge
        case .requestHeaderFieldsTooLarge:
            self = .headersTooLarge
        case .unsupportedMediaType:
            self = .unsupportedMediaType
        case .notFound:
            self = .noSuchRoute
        case .methodNotAllowed:
            self = .methodNotAllowed
        case .unauthorized:
            self = .unauthorized
        case let status where status.code >= 500:
            self.init(status: .internalServerError, code: "internal_error", message: "an internal error occurred; it has been logged")
        case let status:
            // Hummingbird's own 4xx (a missing path parameter, a malformed request): its
            // message names no secret, but keep to the reason phrase to be sure.
            let code = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            self.init(status: status, code: code.isEmpty ? "bad_request" : code, message: status.reasonPhrase)
        }
    }

    /// The JSON error response; 401 also carries `WWW-Authenticate: Bearer`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        headers.append(contentsOf: self.headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The JSON body, `{"error":{"code","message"}}`.
    var body: Data {
        JSONCoding.encode(ErrorEnvelope(error: .init(code: code, message: message)))
    }

    private struct ErrorEnvelope: Encodable {
        struct Body: Encodable {
            var code: String
            var message: String
        }
        var error: Body
    }
}

extension HTTPField.Name {
    static let rateLimitLimit = HTTPField.Name("RateLimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("RateLimit-Remaining")!
    static let rateLimitReset = HTTPField.Name("RateLimit-Reset")!
}
