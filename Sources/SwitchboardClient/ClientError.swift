import Foundation

/// Why a call to a Switchboard server failed, worded for an operator.
///
/// Messages never carry the API key: the client only ever names the server's URL.
public struct ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The server could not be reached (refused, unresolvable, timed out, TLS failed).
        case unreachable
        /// 401: the key is missing, malformed, revoked or unknown.
        case unauthorized
        /// 403: the key lacks the scope.
        case forbidden
        case notFound
        /// Any other 4xx: the server refused the request as sent.
        case rejected(status: Int)
        /// A 5xx, or an answer the client could not read.
        case server(status: Int)
    }

    public let kind: Kind
    /// The server's `error.code` when it sent one (`not_found`, `invalid_request`, …).
    public let code: String?
    public let message: String

    public init(_ kind: Kind, code: String? = nil, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
