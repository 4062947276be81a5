import Foundation

/// Sends one delivery attempt and reports what came back: the engine's only way out to the network.
///
/// The HTTP implementation lives in `SwitchboardTransport` (connect-time address guard, one
/// deadline per attempt, keep-alive pools per endpoint). Core tests use an in-memory one.
/// `send` never throws: every failure is a ``TransportResponse`` with an error class.
public protocol DeliveryTransport: Sendable {
    /// Sends `request` and returns within ``TransportRequest/deadline`` (plus scheduling noise).
    func send(_ request: TransportRequest) async -> TransportResponse
    /// Closes pooled connections; sends after this fail with `shutdown`.
    func shutdown() async
}

/// One attempt to send: where, what, and by when.
public struct TransportRequest: Sendable {
    /// Connections are pooled per endpoint, so one endpoint's waits never hold another's.
    public var endpointID: String
    public var url: String
    public var message: WebhookMessage
    /// How many connections the endpoint's pool may keep open: its concurrency.
    public var maxConnections: Int
    /// One deadline for connect, TLS, request, headers and the whole body, in seconds.
    public var timeout: TimeInterval

    public init(endpointID: String, url: String, message: WebhookMessage, maxConnections: Int, timeout: TimeInterval) {
        self.endpointID = endpointID
        self.url = url
        self.message = message
        self.maxConnections = maxConnections
        self.timeout = timeout
    }
}

/// What one attempt produced.
public struct TransportResponse: Sendable, Hashable {
    /// The HTTP status, when a response head arrived.
    public var statusCode: Int?
    /// Why no usable response came back; see ``TransportErrorClass``.
    public var errorClass: String?
    /// Human-readable detail, free of secrets.
    public var errorMessage: String?
    /// The first ``Attempt/maxResponseBodyBytes`` of the body, as much as arrived (also on a timeout).
    public var responseBody: Data?
    /// The raw `Retry-After` header, parsed by the engine on its own clock.
    public var retryAfter: String?
    /// The raw `Location` header of a 3xx (redirects are never followed).
    public var location: String?
    /// Wall time the attempt took.
    public var duration: TimeInterval

    public init(
        statusCode: Int? = nil, errorClass: String? = nil, errorMessage: String? = nil, responseBody: Data? = nil,
        retryAfter: String? = nil, location: String? = nil, duration: TimeInterval
    ) {
        self.statusCode = statusCode
        self.errorClass = errorClass
        self.errorMessage = errorMessage
        self.responseBody = responseBody
        self.retryAfter = retryAfter
        self.location = location
        self.duration = duration
    }

    /// A failure with no response.
    public static func failure(_ errorClass: String, _ message: String, duration: TimeInterval) -> TransportResponse {
        TransportResponse(errorClass: errorClass, errorMessage: message, duration: duration)
    }
}

/// The error classes a transport reports. Stable strings: they are stored and shown.
public enum TransportErrorClass {
    /// The whole attempt did not finish within the deadline (what arrived is kept).
    public static let timeout = "timeout"
    /// Nothing listens at the address (TCP RST), reported at once.
    public static let connectionRefused = "connection_refused"
    /// No route to the host or network, reported at once.
    public static let unreachable = "unreachable"
    /// The host name did not resolve.
    public static let dns = "dns"
    /// TLS handshake or certificate failure.
    public static let tls = "tls"
    /// The receiver closed or reset the connection before a complete response.
    public static let connectionClosed = "connection_closed"
    /// Every address the host resolved to is refused by the network policy; not retried.
    public static let blockedAddress = "blocked_address"
    /// The URL cannot be requested (bad scheme or host).
    public static let invalidURL = "invalid_url"
    /// The transport is shut down.
    public static let shutdown = "shutdown"
    /// Anything else.
    public static let network = "network"
}

/// Decides, for every attempt, whether an address a host resolved to may be dialled.
///
/// Checked in the transport after DNS, on the address actually connected to, so a host
/// that resolves to a private address only at send time (DNS rebinding) is still refused.
public protocol AddressGuard: Sendable {
    /// `nil` allows the address; otherwise why it is refused, naming it (`"127.0.0.1 is loopback"`).
    /// - Parameter address: 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    func refusal(forAddress address: [UInt8]) -> String?
}

/// Allows every address: for tests of the transport itself.
public struct AllowAllAddresses: AddressGuard {
    public init() {}
    public func refusal(forAddress address: [UInt8]) -> String? { nil }
}
