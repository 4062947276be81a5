/// Deliveries as the receiver saw them, set against when their events were accepted.
struct DeliveryFigures: Sendable {
    /// Distinct deliveries received.
    let received: Int
    let duplicates: Int
    /// From the first publish to the last delivery received.
    let span: Duration
    /// Deliveries received per second over ``span``.
    let rate: Double
    /// From `publish` returning to the receiver seeing the request, over every delivery received.
    let latency: LatencySummary

    init(run: BenchPublisher.Run, log: ArrivalLog) {
        let arrivals = log.arrivals()
        received = arrivals.count
        duplicates = log.duplicates
        span = run.start.duration(to: log.lastArrival ?? run.start)
        rate = span > .zero ? Double(received) / span.benchSeconds : 0
        latency = LatencySummary(
            arrivals.compactMap { arrival in
                run.accepted[arrival.webhookID].map { accepted in Swift.max(.zero, accepted.duration(to: arrival.at)) }
            })
    }

    /// `40,000 of 40,000 received`, saying so when the wait gave up.
    func received(of expected: Int, complete: Bool) -> String {
        let counts = "\(BenchFormat.grouped(received)) of \(BenchFormat.grouped(expected)) received"
        return complete ? counts : counts + " (gave up waiting after \(BenchScenarioRunner.deliveryTimeout))"
    }
}
