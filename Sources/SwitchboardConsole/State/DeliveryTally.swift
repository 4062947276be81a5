import Foundation
import SwitchboardCore

/// The states of one event's deliveries: what "ok/total" in the events pane counts, and
/// whether some delivery is being retried.
struct DeliveryTally: Sendable, Hashable {
    /// State of each delivery, by delivery id.
    var states: [String: Delivery.State]
    /// The delivery retried soonest after a failed attempt: the attempts made and when the
    /// next is due.
    var retry: Retry?

    struct Retry: Sendable, Hashable {
        var attempt: Int
        var next: Date?
    }

    init(_ deliveries: [Delivery]) {
        states = Dictionary(deliveries.map { ($0.id, $0.state) }, uniquingKeysWith: { _, last in last })
        retry = deliveries.filter { $0.state == .scheduled && $0.attemptCount > 0 }
            .min { ($0.nextAttemptAt ?? .distantFuture) < ($1.nextAttemptAt ?? .distantFuture) }
            .map { Retry(attempt: $0.attemptCount, next: $0.nextAttemptAt) }
    }

    var total: Int { states.count }
    var succeeded: Int { states.values.filter { $0 == .succeeded }.count }
    var failed: Int { states.values.filter { $0 == .failed }.count }
}
