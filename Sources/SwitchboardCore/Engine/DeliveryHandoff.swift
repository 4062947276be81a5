import Foundation
import Synchronization

/// Deliveries a publish claims for this process's dispatcher and hands straight to it.
///
/// While the dispatcher runs, a publish batch reserves the room its endpoints have in the
/// dispatcher's ledger, and its insert transaction claims up to that many of each endpoint's
/// due deliveries, oldest first: an older backlog before the batch's own deliveries, so a
/// publish never overtakes it. Once the batch commits, the jobs are handed over. They skip a
/// claim transaction of their own, its re-read of endpoints, and the wait for it. A
/// handed-over delivery is as safe as any claimed one: if this process dies, its lease lapses
/// and it is sent again.
///
/// Only a store that claims in publishes (``Store/claimsInPublish``) takes handoffs; the
/// dispatcher opens the handoff when it starts and closes it when it stops.
final class DeliveryHandoff: Sendable {
    /// Room reserved for one publish batch: its claim round, its lease, and how many
    /// deliveries per endpoint.
    struct Reservation: Sendable {
        var round: UInt64
        var leaseToken: Int64
        var leaseExpiresAt: Date
        var counts: [String: Int]
    }

    private struct Dispatch {
        var ledger: InFlightLedger
        var maxHeld: Int
        var leaseDuration: TimeInterval
    }

    private struct State {
        var dispatch: Dispatch?
        var inbox: [DeliveryJob] = []
    }

    private let state = Mutex(State())
    private let wakeSignal: WakeSignal

    init(wakeSignal: WakeSignal) {
        self.wakeSignal = wakeSignal
    }

    /// Starts taking handoffs into `ledger`, holding at most `maxHeld` deliveries in all.
    func open(ledger: InFlightLedger, maxHeld: Int, leaseDuration: TimeInterval) {
        state.withLock { $0.dispatch = Dispatch(ledger: ledger, maxHeld: maxHeld, leaseDuration: leaseDuration) }
    }

    /// Stops taking handoffs; returns the jobs handed over and not started, to hand back to the store.
    func close() -> [DeliveryJob] {
        state.withLock { state in
            if let ledger = state.dispatch?.ledger { ledger.cancelHandoff(Self.counts(of: state.inbox)) }
            state.dispatch = nil
            defer { state.inbox = [] }
            return state.inbox
        }
    }

    /// Reserves room for `demand` (an endpoint and how many deliveries the batch brings it); `nil` when
    /// the dispatcher is not running or no endpoint has room.
    func reserve(_ demand: [(endpoint: Endpoint, count: Int)], now: Date) -> Reservation? {
        guard let dispatch = state.withLock({ $0.dispatch }) else { return nil }
        var counts: [String: Int] = [:]
        for (endpoint, count) in demand {
            let granted = dispatch.ledger.reserveHandoff(endpoint, count: count, maxHeld: dispatch.maxHeld, now: now)
            if granted > 0 { counts[endpoint.id] = granted }
        }
        guard !counts.isEmpty else { return nil }
        let token = Int64(bitPattern: RandomBytes.uint64() >> 1) | 1
        return Reservation(
            round: dispatch.ledger.beginClaim(), leaseToken: token, leaseExpiresAt: now.addingTimeInterval(dispatch.leaseDuration),
            counts: counts)
    }

    /// Hands over the jobs a committed publish claimed under `reservation`, gives back the
    /// room they did not use, notes which endpoints the claim left `stillWaiting`, and wakes
    /// the dispatcher. Returns the jobs it could not take (the dispatcher stopped meanwhile),
    /// for the caller to hand back to the store.
    func handOver(_ jobs: [DeliveryJob], reservation: Reservation, stillWaiting: Set<String> = []) -> [DeliveryJob] {
        let taken = state.withLock { state -> Bool in
            guard let ledger = state.dispatch?.ledger else { return false }
            ledger.learnFromPublishClaim(round: reservation.round, reserved: reservation.counts.keys, stillWaiting: stillWaiting)
            var unused = reservation.counts
            for (endpointID, count) in Self.counts(of: jobs) { unused[endpointID, default: 0] -= count }
            ledger.cancelHandoff(unused.filter { $0.value > 0 })
            state.inbox.append(contentsOf: jobs)
            return true
        }
        guard taken else { return jobs }
        if !jobs.isEmpty { wakeSignal.wake(.handoff) }
        return []
    }

    /// Gives back a reservation whose publish failed.
    func cancel(_ reservation: Reservation) {
        state.withLock { $0.dispatch?.ledger }?.cancelHandoff(reservation.counts)
    }

    /// Notes that a committed publish left deliveries of these endpoints `pending`: the
    /// dispatcher must claim them.
    func noteBacklog(_ endpointIDs: some Sequence<String>) {
        state.withLock { $0.dispatch?.ledger }?.noteBacklog(endpointIDs)
    }

    /// Whether a claim of the dispatcher's could take deliveries of these endpoints now; `true`
    /// when it is not running here, so another node's dispatcher is not kept waiting.
    func claimCouldTake(_ endpointIDs: some Sequence<String>) -> Bool {
        guard let ledger = state.withLock({ $0.dispatch?.ledger }) else { return true }
        return ledger.hasRoom(forAnyOf: endpointIDs)
    }

    /// Counts every endpoint as behind until the dispatcher's next claim round.
    func forgetBacklogs() {
        state.withLock { $0.dispatch?.ledger }?.forgetBacklogs()
    }

    /// The jobs handed over since the last call, oldest first.
    func takeJobs() -> [DeliveryJob] {
        state.withLock { state in
            defer { state.inbox = [] }
            return state.inbox
        }
    }

    private static func counts(of jobs: [DeliveryJob]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for job in jobs { counts[job.endpoint.id, default: 0] += 1 }
        return counts
    }
}
