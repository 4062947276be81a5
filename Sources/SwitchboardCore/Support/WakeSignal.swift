import Synchronization

/// A coalescing wake-up for the dispatcher: any number of `wake` calls between two reads
/// count as one, and the read says what the strongest of them asked for.
final class WakeSignal: Sendable {
    /// Why the dispatcher is woken, weakest first.
    enum Reason: UInt8, Sendable, Comparable {
        /// A publish handed over the deliveries it claimed: start them, claim nothing.
        case handoff
        /// Endpoints this dispatcher knows to be behind want their next claim.
        case refill
        /// Deliveries may have become due anywhere (an operator requeued or resumed some, a
        /// retry came due, another node published): claim, and trust no endpoint to be caught up.
        case newWork

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    let wakes: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    /// The strongest claim reason since the last read; `nil` when only handoffs woke it.
    private let pending = Mutex<Reason?>(nil)

    init() {
        (wakes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func wake(_ reason: Reason = .newWork) {
        if reason > .handoff { pending.withLock { $0 = max($0 ?? reason, reason) } }
        continuation.yield()
    }

    /// The claim the wakes since the last call asked for, if any, and forgets it.
    func takeClaimReason() -> Reason? {
        pending.withLock { reason in
            defer { reason = nil }
            return reason
        }
    }
}
