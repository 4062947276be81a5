import DequeModule
import Foundation
import Synchronization

/// Which claimed deliveries run now and which wait for a slot, per endpoint: the
/// per-endpoint concurrency limit, how far ahead each endpoint is claimed, and the slow start
/// after a receiver asked to be left alone.
///
/// How many deliveries of an endpoint are held (running plus waiting) follows its recent
/// attempt durations: a fast endpoint is claimed 64 slots deep so its slots never wait for a
/// claim round trip, a slow or hanging one no deeper than its slots, so what it holds can
/// never delay anything but itself and never waits past its lease.
///
/// When it tracks backlogs (a store where publishes claim for this dispatcher), it also knows
/// per endpoint whether the store may hold due deliveries it does not: an endpoint is caught
/// up once a claim round, its own or a publish's, took everything due for it. Only an
/// endpoint that is behind asks for claims as its slots free up; a caught-up one gets its
/// deliveries from the publishes.
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
        /// Room reserved for a publish claim whose batch is committing.
        var reserved = 0
        /// The claim round since which the store may hold due deliveries of this endpoint that
        /// this ledger does not; `nil` when a later round took all it had. Unknown counts as behind.
        var backlogSince: UInt64? = 0

        var runLimit: Int { probing ? 1 : limit }

        /// How many deliveries to hold, running and waiting.
        var depth: Int {
            if probing { return 1 }
            let byLatency: Int
            if let typical = typicalDuration {
                byLatency = typical < 0.05 ? limit * 64 : (typical < 0.5 ? limit * 4 : limit)
            } else {
                byLatency = limit * 4
            }
            guard let rateLimit else { return byLatency }
            return min(byLatency, max(limit, rateLimit * 5))
        }

        var held: Int { running + waiting.count + reserved }

        /// How many deliveries a publish may claim now: the room left, unless probing.
        var handoffRoom: Int { probing ? 0 : max(0, depth - held) }

        mutating func update(from endpoint: Endpoint) {
            limit = max(1, endpoint.maxConcurrency)
            rateLimit = endpoint.rateLimitPerSecond
        }
    }

    private struct State {
        var endpoints: [String: EndpointSlots] = [:]
        var running = 0
        var waiting = 0
        var reserved = 0
        var claimRound: UInt64 = 0
    }

    private let state = Mutex(State())
    private let tracksBacklogs: Bool

    /// - Parameter tracksBacklogs: learn from claims, the dispatcher's and the publishes',
    ///   which endpoints are caught up, and take publish claims. Without it every endpoint counts as behind, so slots ask for claims as
    ///   they free up, which is what a store other nodes also publish to needs.
    init(tracksBacklogs: Bool = false) {
        self.tracksBacklogs = tracksBacklogs
    }

    /// Deliveries being sent right now.
    var running: Int { state.withLock { $0.running } }
    /// Deliveries claimed or handed over and not finished: running, waiting for a slot, or
    /// reserved for a handoff being committed.
    var held: Int { state.withLock { $0.running + $0.waiting + $0.reserved } }

    /// Endpoints not to claim for now: they hold as many deliveries as their depth allows.
    func saturatedEndpoints() -> Set<String> {
        state.withLock { state in
            Set(state.endpoints.lazy.filter { $0.value.held >= $0.value.depth }.map(\.key))
        }
    }

    /// Whether a claim could take any of `endpointIDs`' deliveries now: one of them is not
    /// holding as many as its depth allows (or is not known yet).
    func hasRoom(forAnyOf endpointIDs: some Sequence<String>) -> Bool {
        state.withLock { state in
            endpointIDs.contains { id in state.endpoints[id].map { $0.held < $0.depth } ?? true }
        }
    }

    /// Admits claimed jobs: returns those that may start now (marked running) and those the
    /// endpoint cannot hold, to hand back to the store; the rest wait for a slot.
    func admit(_ jobs: [DeliveryJob]) -> (start: [DeliveryJob], release: [DeliveryJob]) {
        state.withLock { state in Self.admit(jobs, into: &state) }
    }

    /// Starts a claim round: pass its number to ``admitClaim(_:round:excluded:complete:perEndpointLimit:)``.
    func beginClaim() -> UInt64 {
        state.withLock { state in
            state.claimRound += 1
            return state.claimRound
        }
    }

    /// Admits what claim round `round` returned, as ``admit(_:)``, and learns from it: an
    /// endpoint the claim looked at (not in `excluded`) that got fewer than `perEndpointLimit`
    /// jobs, none of them handed back, is caught up, unless it fell behind after the round began.
    /// A `complete` claim returned fewer jobs than its limit; an incomplete one may have left
    /// any endpoint behind, so it teaches nothing.
    func admitClaim(
        _ jobs: [DeliveryJob], round: UInt64, excluded: Set<String>, complete: Bool, perEndpointLimit: Int
    ) -> (start: [DeliveryJob], release: [DeliveryJob]) {
        state.withLock { state in
            let admitted = Self.admit(jobs, into: &state)
            guard tracksBacklogs else { return admitted }
            var claimed: [String: Int] = [:]
            for job in jobs { claimed[job.endpoint.id, default: 0] += 1 }
            let handedBack = Set(admitted.release.map(\.endpoint.id))
            for endpointID in Array(state.endpoints.keys) where !excluded.contains(endpointID) {
                let slots = state.endpoints[endpointID]!
                if claimed[endpointID, default: 0] >= perEndpointLimit || handedBack.contains(endpointID) {
                    state.endpoints[endpointID]!.backlogSince = round
                } else if complete, !slots.probing, let since = slots.backlogSince, since < round {
                    state.endpoints[endpointID]!.backlogSince = nil
                }
            }
            return admitted
        }
    }

    /// Notes that the store holds due deliveries of these endpoints that this ledger does not:
    /// a publish stored them `pending`, or they were handed back. Call after that committed.
    func noteBacklog(_ endpointIDs: some Sequence<String>) {
        guard tracksBacklogs else { return }
        state.withLock { state in
            for endpointID in endpointIDs {
                state.endpoints[endpointID, default: EndpointSlots()].backlogSince = state.claimRound
            }
        }
    }

    /// Counts every endpoint as behind until the next claim round: deliveries may have become
    /// due anywhere.
    func forgetBacklogs() {
        guard tracksBacklogs else { return }
        state.withLock { state in
            let round = state.claimRound
            for endpointID in state.endpoints.keys { state.endpoints[endpointID]!.backlogSince = round }
        }
    }

    /// Reserves room for up to `count` deliveries of `endpoint` that a publish is about to
    /// claim; returns how many it may take (0 while the endpoint is throttled or probing, or
    /// the dispatcher holds `maxHeld`). Each reservation ends in ``adoptHandoff(_:)`` or
    /// ``cancelHandoff(_:)``.
    func reserveHandoff(_ endpoint: Endpoint, count: Int, maxHeld: Int, now: Date) -> Int {
        guard tracksBacklogs, count > 0, endpoint.enabled, (endpoint.throttledUntil ?? .distantPast) <= now else { return 0 }
        return state.withLock { state in
            let globalRoom = maxHeld - (state.running + state.waiting + state.reserved)
            guard globalRoom > 0 else { return 0 }
            state.endpoints[endpoint.id, default: EndpointSlots()].update(from: endpoint)
            let granted = min(count, globalRoom, state.endpoints[endpoint.id]!.handoffRoom)
            state.endpoints[endpoint.id]!.reserved += granted
            state.reserved += granted
            return granted
        }
    }

    /// Learns from publish claim `round`, which looked at the `reserved` endpoints: one with
    /// due deliveries `stillWaiting` after it is behind; the others are caught up, unless they
    /// fell behind after the round began.
    func learnFromPublishClaim(round: UInt64, reserved: some Sequence<String>, stillWaiting: Set<String>) {
        guard tracksBacklogs else { return }
        state.withLock { state in
            for endpointID in reserved where state.endpoints[endpointID] != nil {
                if stillWaiting.contains(endpointID) {
                    state.endpoints[endpointID]!.backlogSince = round
                } else if let since = state.endpoints[endpointID]!.backlogSince, since < round {
                    state.endpoints[endpointID]!.backlogSince = nil
                }
            }
        }
    }

    /// Admits handed-over jobs, each in place of one reservation of its endpoint, as ``admit(_:)``.
    func adoptHandoff(_ jobs: [DeliveryJob]) -> (start: [DeliveryJob], release: [DeliveryJob]) {
        state.withLock { state in
            Self.releaseReservations(jobs.map { ($0.endpoint.id, 1) }, in: &state)
            return Self.admit(jobs, into: &state)
        }
    }

    /// Gives back reservations no job will fill, per endpoint.
    func cancelHandoff(_ reservations: [String: Int]) {
        state.withLock { state in Self.releaseReservations(reservations.map { ($0.key, $0.value) }, in: &state) }
    }

    private static func releaseReservations(_ reservations: [(String, Int)], in state: inout State) {
        for (endpointID, count) in reservations where state.endpoints[endpointID] != nil {
            let released = min(count, state.endpoints[endpointID]!.reserved)
            state.endpoints[endpointID]!.reserved -= released
            state.reserved -= released
        }
    }

    private static func admit(_ jobs: [DeliveryJob], into state: inout State) -> (start: [DeliveryJob], release: [DeliveryJob]) {
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

    private enum Admission { case start, wait, release }

    private static func admit(_ job: DeliveryJob, into slots: inout EndpointSlots) -> Admission {
        slots.update(from: job.endpoint)
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
    /// it is time to claim more: the endpoint is behind and its queue is down to half, or its
    /// slot has nothing left to send.
    func finish(
        endpointID: String, _ finished: Finished?, takeNext: Bool, isStartable: (DeliveryJob) -> Bool
    ) -> (next: DeliveryJob?, release: [DeliveryJob], wantsMore: Bool) {
        state.withLock { state in
            guard state.endpoints[endpointID] != nil else { return (nil, [], false) }
            // Mutated in place (kept when idle: its typical duration sizes the next claim).
            let step = Self.finish(
                &state.endpoints[endpointID]!, finished, takeNext: takeNext, tracksBacklogs: tracksBacklogs, isStartable: isStartable)
            state.waiting -= step.release.count + (step.next == nil ? 0 : 1)
            if step.next == nil { state.running -= 1 }
            return step
        }
    }

    private static func finish(
        _ slots: inout EndpointSlots, _ finished: Finished?, takeNext: Bool, tracksBacklogs: Bool, isStartable: (DeliveryJob) -> Bool
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
        // Refill before the endpoint's queue runs dry, so its slots never wait for a claim; a
        // caught-up endpoint gets its next deliveries handed over and claims nothing.
        let behind = !tracksBacklogs || slots.backlogSince != nil
        let runningLow = !slots.probing && slots.waiting.count * 2 <= slots.depth - slots.runLimit
        let wantsMore = takeNext && behind && (next == nil || runningLow)
        return (next, release, wantsMore)
    }
}
