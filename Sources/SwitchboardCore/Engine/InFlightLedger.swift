import Foundation
import Synchronization

/// Which claimed deliveries run now and which wait for a slot, per endpoint: the
/// per-endpoint concurrency limit, how far ahead each endpoint is claimed, and the slow start
/// after a receiver asked to be left alone.
///
/// How many deliveries of an endpoint are held (running plus waiting) follows its recent
/// attempt durations: a fast endpoint is claimed 16 slots deep so its slots never wait for a
/// claim round trip, a slow or hanging one no deeper than its slots, so what it holds can
/// never delay anything but itself and never waits past its lease.
final class InFlightLedger: Sendable {
    /// What one finished attempt tells the ledger about its endpoint.
    struct Finished: Sendable {
        var duration: TimeInterval
        var succeeded: Bool
        /// The receiver answered 429 or 503 with `Retry-After`: hold its waiting jobs.
        var throttled: Bool
    }

    private struct EndpointSlots {
        var running = 0
        var limit = 1
        var waiting: [DeliveryJob] = []
        /// Smoothed attempt duration, seconds; `nil` before the first attempt.
        var typicalDuration: TimeInterval?
        /// One delivery at a time until an attempt succeeds, after a throttle.
        var probing = false
        /// The endpoint's `rate_limit_per_second`, if any: it holds no more than 5 s of work.
        var rateLimit: Int?

        var runLimit: Int { probing ? 1 : limit }

        /// How many deliveries to hold, running and waiting.
        var depth: Int {
            if probing { return 1 }
            let byLatency: Int
            if let typical = typicalDuration {
                byLatency = typical < 0.05 ? limit * 16 : (typical < 0.5 ? limit * 4 : limit)
            } else {
                byLatency = limit * 4
            }
            guard let rateLimit else { return byLatency }
            return min(byLatency, max(limit, rateLimit * 5))
        }

        var held: Int { running + waiting.count }
    }

    private struct State {
        var endpoints: [String: EndpointSlots] = [:]
        var running = 0
        var waiting = 0
    }

    private let state = Mutex(State())

    /// Deliveries being sent right now.
    var running: Int { state.withLock { $0.running } }
    /// Deliveries claimed and not finished: running plus waiting for a slot.
    var held: Int { state.withLock { $0.running + $0.waiting } }

    /// Endpoints not to claim for now: they hold as many deliveries as their depth allows.
    func saturatedEndpoints() -> Set<String> {
        state.withLock { state in
            Set(state.endpoints.lazy.filter { $0.value.held >= $0.value.depth }.map(\.key))
        }
    }

    /// Admits claimed jobs: returns those that may start now (marked running) and those the
    /// endpoint cannot hold, to hand back to the store; the rest wait for a slot.
    func admit(_ jobs: [DeliveryJob]) -> (start: [DeliveryJob], release: [DeliveryJob]) {
        state.withLock { state in
            var start: [DeliveryJob] = []
            var release: [DeliveryJob] = []
            for job in jobs {
                let endpointID = job.endpoint.id
                var slots = state.endpoints[endpointID] ?? EndpointSlots()
                slots.limit = max(1, job.endpoint.maxConcurrency)
                slots.rateLimit = job.endpoint.rateLimitPerSecond
                if slots.running < slots.runLimit, slots.waiting.isEmpty {
                    slots.running += 1
                    state.running += 1
                    start.append(job)
                } else if slots.held < slots.depth {
                    slots.waiting.append(job)
                    state.waiting += 1
                } else {
                    release.append(job)
                }
                state.endpoints[endpointID] = slots
            }
            return (start, release)
        }
    }

    /// Marks a running job of `endpointID` finished.
    ///
    /// Returns the next waiting job of the endpoint that `isStartable` accepts, already
    /// running, for the caller to send in the freed slot; the waiting jobs to hand back:
    /// those `isStartable` refused, those beyond what the endpoint may hold now (it got slow,
    /// or throttled), and all of them when `takeNext` is false (shutting down); and whether
    /// the endpoint's queue is down to half, so it is time to claim more.
    func finish(
        endpointID: String, _ finished: Finished?, takeNext: Bool, isStartable: (DeliveryJob) -> Bool
    ) -> (next: DeliveryJob?, release: [DeliveryJob], wantsMore: Bool) {
        state.withLock { state in
            guard var slots = state.endpoints[endpointID] else { return (nil, [], false) }
            if let finished {
                slots.typicalDuration = slots.typicalDuration.map { $0 * 0.7 + finished.duration * 0.3 } ?? finished.duration
                if finished.throttled { slots.probing = true } else if finished.succeeded { slots.probing = false }
            }
            var release: [DeliveryJob] = []
            if !takeNext {
                release = slots.waiting
                slots.waiting = []
            } else {
                // `running` still counts the finishing job, whose slot the next one takes.
                let keep = max(0, slots.depth - slots.running + 1)
                if slots.waiting.count > keep {
                    release = Array(slots.waiting[keep...])
                    slots.waiting.removeLast(slots.waiting.count - keep)
                }
            }
            var next: DeliveryJob?
            if slots.running <= slots.runLimit {
                while !slots.waiting.isEmpty {
                    let candidate = slots.waiting.removeFirst()
                    if isStartable(candidate) {
                        next = candidate
                        break
                    }
                    release.append(candidate)
                }
            }
            state.waiting -= release.count + (next == nil ? 0 : 1)
            if next == nil {
                slots.running -= 1
                state.running -= 1
            }
            state.endpoints[endpointID] = slots  // kept when idle: its typical duration sizes the next claim
            // Refill before the endpoint's queue runs dry, so its slots never wait for a claim.
            let wantsMore = takeNext && !slots.probing && slots.waiting.count * 2 <= slots.depth - slots.runLimit
            return (next, release, wantsMore)
        }
    }
}
