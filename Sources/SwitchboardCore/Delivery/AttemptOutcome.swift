import Foundation

/// What one HTTP attempt produced.
public enum AttemptOutcome: Sendable, Hashable {
    /// The receiver answered with `statusCode`; `retryAfter` is its `Retry-After`, in seconds.
    case response(statusCode: Int, retryAfter: TimeInterval?)
    /// No usable response: `errorClass` is a short stable name (`timeout`, `connection_refused`…).
    case networkError(errorClass: String)

    /// Whether trying again cannot help: the address is refused by the network policy, or the
    /// URL cannot be requested. Such a delivery fails at once.
    public var isPermanentFailure: Bool {
        guard case .networkError(let errorClass) = self else { return false }
        return errorClass == TransportErrorClass.blockedAddress || errorClass == TransportErrorClass.invalidURL
    }

    /// Whether the attempt counts as delivered: 2xx only.
    public var isSuccess: Bool {
        if case .response(let code, _) = self { return (200..<300).contains(code) }
        return false
    }
}
