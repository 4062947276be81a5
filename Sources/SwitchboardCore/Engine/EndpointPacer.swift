import Synchronization

/// Spaces the starts of an endpoint's deliveries to its `rate_limit_per_second`.
///
/// Each start reserves the next free instant, one `1 / rate` after the previous one, so
/// slots of the same endpoint share one schedule; a slot waits for its instant within its
/// own endpoint's slots, never holding another endpoint's. Per process: used when the
/// store keeps no shared pace (``Store/reserveSendStart(endpointID:perSecond:now:)``).
final class EndpointPacer: Sendable {
    private let nextStart = Mutex<[String: ContinuousClock.Instant]>([:])

    /// How long the caller must wait before starting a delivery to `endpointID`.
    func reserve(endpointID: String, perSecond rate: Int) -> Duration {
        let now = ContinuousClock.now
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(max(1, rate)))
        return nextStart.withLock { schedule in
            let start = max(now, schedule[endpointID] ?? now)
            schedule[endpointID] = start + interval
            return start - now
        }
    }
}
