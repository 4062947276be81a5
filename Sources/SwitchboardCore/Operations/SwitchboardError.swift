/// Errors of Switchboard's operations, each with a stable code and a message that is safe
/// to show a caller (never a secret). The HTTP layer maps them to status codes in one place.
public struct SwitchboardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, each mapping to one HTTP status.
    public enum Kind: Sendable, Hashable {
        /// A field is missing, has the wrong type or an invalid value (422).
        case validation
        /// The request body is not usable at all (400).
        case badRequest
        /// No such resource in the caller's tenant (404).
        case notFound
        /// The request's signature did not verify (401). The message stays generic.
        case unauthorized
        /// The resource exists, or the request conflicts with an earlier one (409).
        case conflict
        /// The payload is too large (413).
        case tooLarge
        /// The store cannot be used right now (503).
        case unavailable
        /// Too many requests of this kind; the decision carries the `Retry-After` and
        /// `RateLimit-*` figures (429).
        case rateLimited(RateLimiter.Decision)
    }

    public let kind: Kind
    /// Stable machine-readable code, e.g. `validation_failed`, `endpoint_not_found`.
    public let code: String
    public let message: String
    /// The request field the error is about, when there is one.
    public let field: String?

    public init(_ kind: Kind, code: String, message: String, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(code): \(message)" }

    /// A field failed validation.
    public static func invalid(_ field: String, _ message: String) -> SwitchboardError {
        SwitchboardError(.validation, code: "validation_failed", message: "\(field): \(message)", field: field)
    }

    /// A resource of `kind` (e.g. "endpoint") with `id` does not exist for the caller.
    public static func notFound(_ kind: String, id: String) -> SwitchboardError {
        SwitchboardError(.notFound, code: "\(kind)_not_found", message: "\(kind) \(id) not found")
    }
}
