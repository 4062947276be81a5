import Foundation
import Hummingbird
import SwitchboardCore

/// An error answered as `{"error": {"code", "message"}}` with its HTTP status.
///
/// This file is the one place where failures become HTTP: ``APIError/init(_:)`` maps every
/// error the API can meet, and anything unexpected becomes a generic 500 that reveals nothing.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static let unauthorized = APIError(
        status: .unauthorized, code: "unauthorized", message: "missing or unknown API key; send Authorization: Bearer sbk_…")

    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(status: .unprocessableContent, code: "validation_failed", message: "\(field): \(message)")
    }

    /// Maps any error to the response a caller sees.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as SwitchboardError:
            let status: HTTPResponse.Status = switch error.kind {
            case .validation: .unprocessableContent
            case .badRequest: .badRequest
            case .notFound: .notFound
            case .conflict: .conflict
            case .tooLarge: .contentTooLarge
            case .unavailable: .serviceUnavailable
            }
            self.init(status: status, code: error.code, message: error.message)
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge:
                self.init(status: .contentTooLarge, code: "payload_too_large", message: "the request body is larger than allowed")
            case .notFound:
                self.init(status: .notFound, code: "not_found", message: "no such route")
            case .methodNotAllowed:
                self.init(status: .methodNotAllowed, code: "method_not_allowed", message: "this route does not accept that method")
            default:
                let status = error.status.code >= 500 ? HTTPResponse.Status.internalServerError : error.status
                self.init(status: status, code: "http_\(status.code)", message: status.reasonPhrase)
            }
        case let error as StoreError where error.isUnavailable:
            self.init(status: .serviceUnavailable, code: "store_unavailable", message: "the store is unavailable; try again")
        default:
            self.init(status: .internalServerError, code: "internal_error", message: "an internal error occurred; it has been logged")
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = ByteBuffer()
        body.writeBytes(JSONCoding.encode(["error": ["code": code, "message": message]]))
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
