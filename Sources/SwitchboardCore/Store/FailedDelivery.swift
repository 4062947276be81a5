import Foundation

/// A delivery that failed for good (`failed`) or is `scheduled` again after a failed attempt,
/// with what an operator needs to judge it.
public struct FailedDelivery: Sendable, Hashable {
    /// The delivery as stored: its last error, last status code, attempt count and next attempt.
    public var delivery: Delivery
    /// The event's type.
    public var eventType: String
    /// The endpoint's URL as stored; `nil` when the endpoint was deleted.
    public var endpointURL: String?

    public init(delivery: Delivery, eventType: String, endpointURL: String?) {
        self.delivery = delivery
        self.eventType = eventType
        self.endpointURL = endpointURL
    }

    /// The last attempt's error class or message, `nil` when it got a response.
    public var lastError: String? { delivery.lastError }
    /// The last attempt's status code, `nil` when none came back.
    public var lastStatusCode: Int? { delivery.lastStatusCode }
    /// Attempts made so far.
    public var attemptCount: Int { delivery.attemptCount }
    /// When the next attempt is due (retrying deliveries), `nil` for a delivery failed for good.
    public var nextAttemptAt: Date? { delivery.state == .scheduled ? delivery.nextAttemptAt : nil }
}
