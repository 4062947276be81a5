import Metrics

/// The swift-metrics instruments the dispatcher core records. Names are stable: dashboards use them.
enum DeliveryMetrics {
    static let eventsPublished = Counter(label: "switchboard_events_published_total")
    static let deliveryDuration = Metrics.Timer(label: "switchboard_delivery_duration_seconds", preferredDisplayUnit: .seconds)

    /// Counts an attempt under a bounded outcome class: `2xx`…`5xx`, `timeout` or `network`.
    static func recordAttempt(_ outcome: AttemptOutcome) {
        Counter(label: "switchboard_attempts_total", dimensions: [("outcome", outcomeClass(outcome))]).increment()
    }

    static func outcomeClass(_ outcome: AttemptOutcome) -> String {
        switch outcome {
        case .response(let code, _): "\(min(max(code / 100, 1), 5))xx"
        case .networkError(let errorClass): errorClass == "timeout" ? "timeout" : "network"
        }
    }
}
