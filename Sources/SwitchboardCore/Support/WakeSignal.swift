import Synchronization

/// A coalescing wake-up for the dispatcher: any number of `wake` calls between two reads
/// count as one, and the read says whether any of them asked for a claim.
final class WakeSignal: Sendable {
    /// Why the dispatcher is woken.
    enum Reason: Sendable {
        /// A publish handed over the deliveries it claimed: start them, claim nothing.
        case handoff
        /// Deliveries may be waiting in the store: claim.
        case claim
    }

    let wakes: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let claimRequested = Atomic<Bool>(false)

    init() {
        (wakes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func wake(_ reason: Reason = .claim) {
        if reason == .claim { claimRequested.store(true, ordering: .releasing) }
        continuation.yield()
    }

    /// Whether a wake since the last call asked for a claim; forgets it.
    func takeClaimRequest() -> Bool {
        claimRequested.exchange(false, ordering: .acquiringAndReleasing)
    }
}
