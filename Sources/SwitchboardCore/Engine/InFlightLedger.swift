import DequeModule
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
        var waiting = Deque<DeliveryJob>()
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
                // Mutated in place: a copy out of the dictionary would copy the waiting queue.
                let verdict = Self.admit(job, into: &state.endpoints[job.endpoint.id, default: EndpointSlots()])
                switch verdict {
                case .start:
                    state.running += 1
                    start.append(job)
                case .wait:
                    state.waiting += 1
                case .release:
                    release.append(job)
                }
            }
            return (start, release)
        }
    }

    private enum Admission { case start, wait, release }

    private static func admit(_ job: DeliveryJob, into slots: inout EndpointSlots) -> Admission {
        slots.limit = max(1, job.endpoint.maxConcurrency)
        slots.rateLimit = job.endpoint.rateLimitPerSecond
        if slots.running < slots.runLimit, slots.waiting.isEmpty {
            slots.running += 1
            return .start
        } else if slots.held < slots.depth {
            slots.waiting.append(job)
            return .wait
        }
        return .release
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
            guard state.endpoints[endpointID] != nil else { return (nil, [], false) }
            // Mutated in place (kept when idle: its typical duration sizes the next claim).
            let step = Self.finish(&state.endpoints[endpointID]!, finished, takeNext: takeNext, isStartable: isStartable)
            state.waiting -= step.release.count + (step.next == nil ? 0 : 1)
            if step.next == nil { state.running -= 1 }
            return step
        }
    }

    private static func finish(
        _ slots: inout EndpointSlots, _ finished: Finished?, takeNext: Bool, isStartable: (DeliveryJob) -> Bool
    ) -> (next: DeliveryJob?, release: [DeliveryJob], wantsMore: Bool) {
        if let finished {
            slots.typicalDuration = slots.typicalDuration.map { $0 * 0.7 + finished.duration * 0.3 } ?? finished.duration
            if finished.throttled { slots.probing = true } else if finished.succeeded { slots.probing = false }
        }
        var release: [DeliveryJob] = []
        if !takeNext {
            release = Array(slots.waiting)
            slots.waiting.removeAll()
        } else {
            // `running` still counts the finishing job, whose slot the next one takes.
            let keep = max(0, slots.depth - slots.running + 1)
            while slots.waiting.count > keep, let last = slots.waiting.popLast() { release.append(last) }
            release.reverse()
        }
        var next: DeliveryJob?
        if slots.running <= slots.runLimit {
            while let candidate = slots.waiting.popFirst() {
                if isStartable(candidate) {
                    next = candidate
                    break
                }
                release.append(candidate)
            }
        }
        if next == nil { slots.running -= 1 }
        // Refill before the endpoint's queue runs dry, so its slots never wait for a claim.
        let wantsMore = takeNext && !slots.probing && slots.waiting.count * 2 <= slots.depth - slots.runLimit
        return (next, release, wantsMore)
    }
}
