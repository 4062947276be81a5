import Synchronization

/// What the bench receiver saw: the instant each delivery arrived, keyed by path and
/// `webhook-id`, the duplicates, and the requests left hanging. Shared by the receiver's
/// event loop and the scenario reading it, behind one lock.
final class ArrivalLog: Sendable {
    /// One delivery as it reached the receiver.
    struct Arrival: Sendable {
        /// The `webhook-id` header: the event id.
        let webhookID: String
        let at: ContinuousClock.Instant
    }

    private struct State {
        var firstArrivals: [String: Arrival] = [:]
        var duplicates = 0
        var withoutWebhookID = 0
        var hanging = 0
        var lastArrival: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    /// Records a delivery to `path` that arrived `at`; a second one with the same path and id is a duplicate.
    func recordDelivery(path: String, webhookID: String?, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            state.lastArrival = instant
            guard let webhookID else {
                state.withoutWebhookID += 1
                return
            }
            let key = path + " " + webhookID
            if state.firstArrivals[key] == nil {
                state.firstArrivals[key] = Arrival(webhookID: webhookID, at: instant)
            } else {
                state.duplicates += 1
            }
        }
    }

    /// Records a request the receiver will never answer.
    func recordHang() {
        state.withLock { $0.hanging += 1 }
    }

    /// Distinct deliveries received (path and `webhook-id`), duplicates not counted.
    var distinctDeliveries: Int { state.withLock { $0.firstArrivals.count } }
    /// Deliveries that arrived again with a path and `webhook-id` already seen.
    var duplicates: Int { state.withLock { $0.duplicates } }
    /// Deliveries that carried no `webhook-id`.
    var withoutWebhookID: Int { state.withLock { $0.withoutWebhookID } }
    /// Requests received on the hanging path.
    var hanging: Int { state.withLock { $0.hanging } }
    /// When the most recent delivery arrived.
    var lastArrival: ContinuousClock.Instant? { state.withLock { $0.lastArrival } }

    /// Every first arrival, for latency figures.
    func arrivals() -> [Arrival] { state.withLock { Array($0.firstArrivals.values) } }
}
