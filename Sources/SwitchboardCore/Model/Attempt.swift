import Foundation

/// One HTTP request made for a delivery, and what came back.
public struct Attempt: Sendable, Hashable, Identifiable {
    /// Longest response body kept, in bytes.
    public static let maxResponseBodyBytes = 64 * 1024

    public var id: String
    public var tenantID: TenantID
    public var deliveryID: String
    public var eventID: String
    public var endpointID: String
    /// 1 for the first attempt of the delivery.
    public var number: Int
    /// The URL the request went to.
    public var url: String
    /// The request headers sent, with any bearer secret redacted.
    public var requestHeaders: [String: String]
    public var statusCode: Int?
    /// Why no usable response came back: `timeout`, `connection_refused`, `connect_timeout`,
    /// `tls`, `dns`, `redirect`, `network`.
    public var errorClass: String?
    /// Human-readable detail for ``errorClass``.
    public var errorMessage: String?
    /// The first 64 KiB of the response body, decoded as UTF-8 with replacement.
    public var responseBody: String?
    public var durationMilliseconds: Int
    public var createdAt: Date
    /// When the following attempt is due, if any.
    public var nextRetryAt: Date?
    /// The send outlived its lease and another claim took the delivery over: the attempt is
    /// kept for inspection but changed nothing (the newer holder's outcome stands).
    public var superseded: Bool
    /// The cluster node that made the attempt (its id), `nil` on a single-node store.
    public var node: String?

    public init(
        id: String, tenantID: TenantID, deliveryID: String, eventID: String, endpointID: String,
        number: Int, url: String, requestHeaders: [String: String], statusCode: Int? = nil,
        errorClass: String? = nil, errorMessage: String? = nil, responseBody: String? = nil,
        durationMilliseconds: Int, createdAt: Date, nextRetryAt: Date? = nil, superseded: Bool = false,
        node: String? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.deliveryID = deliveryID
        self.eventID = eventID
        self.endpointID = endpointID
        self.number = number
        self.url = url
        self.requestHeaders = requestHeaders
        self.statusCode = statusCode
        self.errorClass = errorClass
        self.errorMessage = errorMessage
        self.responseBody = responseBody
        self.durationMilliseconds = durationMilliseconds
        self.createdAt = createdAt
        self.nextRetryAt = nextRetryAt
        self.superseded = superseded
        self.node = node
    }

    /// Whether the receiver answered 2xx.
    public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}
