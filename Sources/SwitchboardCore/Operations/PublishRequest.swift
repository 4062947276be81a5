import Crypto
import Foundation

/// A request to publish one event.
public struct PublishRequest: Sendable, Hashable {
    public var tenantID: TenantID
    public var eventType: String
    /// The payload as JSON bytes.
    public var payload: Data
    public var idempotencyKey: String?
    /// Hex SHA-256 of the request, compared when an idempotency key is reused.
    public var requestHash: String?
    public var origin: Event.Origin
    public var replayOf: String?
    public var sourceID: String?
    public var correlationID: String?
    /// Provider headers to forward with an inbound source's event.
    public var sourceHeaders: [String: String]
    /// When set, fan out only to these endpoints (still only to subscribed ones for API events).
    public var endpointIDs: [String]?

    public init(
        tenantID: TenantID, eventType: String, payload: Data, idempotencyKey: String? = nil, requestHash: String? = nil,
        origin: Event.Origin = .api, replayOf: String? = nil, sourceID: String? = nil, correlationID: String? = nil,
        sourceHeaders: [String: String] = [:], endpointIDs: [String]? = nil
    ) {
        self.tenantID = tenantID
        self.eventType = eventType
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.origin = origin
        self.replayOf = replayOf
        self.sourceID = sourceID
        self.correlationID = correlationID
        self.sourceHeaders = sourceHeaders
        self.endpointIDs = endpointIDs
    }

    /// A ``requestHash``: hex SHA-256 of `scope` (what else the request named, such as its
    /// event type or endpoint), a NUL, then `body`.
    public static func requestHash(scope: String, body: Data) -> String {
        var hashed = Data(scope.utf8)
        hashed.append(0)
        hashed.append(body)
        return SHA256.hash(data: hashed).hexEncoded
    }
}

/// What publishing produced.
public struct PublishResult: Sendable, Hashable {
    public var event: Event
    public var deliveries: [Delivery]
    /// `true` when an earlier event with the same idempotency key was returned instead.
    public var isDuplicate: Bool

    public init(event: Event, deliveries: [Delivery], isDuplicate: Bool) {
        self.event = event
        self.deliveries = deliveries
        self.isDuplicate = isDuplicate
    }
}

/// An event with its deliveries and their attempts.
public struct EventDetail: Sendable, Hashable {
    public var event: Event
    public var deliveries: [Delivery]
    public var attempts: [Attempt]

    public init(event: Event, deliveries: [Delivery], attempts: [Attempt]) {
        self.event = event
        self.deliveries = deliveries
        self.attempts = attempts
    }
}
