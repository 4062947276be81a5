import Foundation
import Synchronization

/// Refused inbound requests, counted in memory per source and written to the store in
/// batches, with a token bucket per source on refusals.
///
/// A forged request to `/in/{slug}` then costs a lookup and a signature check, never a write
/// of its own: tallies are written by ``Switchboard/flushSourceRejections()``, which runs when
/// ``flushThreshold`` refusals are pending and otherwise every ``SourceRejectionFlusher``
/// interval. Past the bucket (``burst`` refusals, refilled at ``ratePerSecond``), a source's
/// refused requests are answered 429; requests that verify are never limited.
public final class SourceRejectionLedger: Sendable {
    /// What the ledger decided for one refusal.
    public struct Outcome: Sendable {
        /// The per-source bucket's decision: not allowed means answer 429.
        public var decision: RateLimiter.Decision
        /// Whether enough refusals are pending that they should be written now.
        public var shouldFlush: Bool
    }

    /// Pending refusals at which a write is due without waiting for the timer.
    public let flushThreshold: Int
    private let limiter: RateLimiter
    private let pending = Mutex<(tallies: [String: SourceRejectionTally], count: Int)>(([:], 0))

    /// - Parameters:
    ///   - ratePerSecond: refusals per source per second answered normally (0 disables the limit).
    ///   - burst: refusals per source answered normally after a quiet period.
    ///   - flushThreshold: pending refusals that trigger a write at once.
    public init(
        ratePerSecond: Double = 5, burst: Int = 50, flushThreshold: Int = 100, maxSources: Int = 10_000,
        clock: any WallClock = SystemWallClock()
    ) {
        self.flushThreshold = max(1, flushThreshold)
        self.limiter = RateLimiter(ratePerSecond: ratePerSecond, burst: burst, maxKeys: maxSources, clock: clock)
    }

    /// Counts one refusal of `sourceID`.
    public func record(sourceID: String, reason: String, at date: Date) -> Outcome {
        let decision = limiter.acquire(sourceID)
        let shouldFlush = pending.withLock { pending in
            var tally = pending.tallies[sourceID] ?? SourceRejectionTally(sourceID: sourceID, count: 0, lastReason: reason, lastRejectedAt: date)
            tally.count += 1
            tally.lastReason = reason
            tally.lastRejectedAt = date
            pending.tallies[sourceID] = tally
            pending.count += 1
            return pending.count >= flushThreshold
        }
        return Outcome(decision: decision, shouldFlush: shouldFlush)
    }

    /// Refusals counted and not yet written.
    public var pendingCount: Int { pending.withLock { $0.count } }

    /// `source` with the refusals counted and not yet written added, so that reads agree
    /// with what was answered.
    public func overlay(_ source: Source) -> Source {
        guard let tally = pending.withLock({ $0.tallies[source.id] }) else { return source }
        var source = source
        source.rejectedCount += tally.count
        source.lastRejectionReason = tally.lastReason
        source.lastRejectedAt = tally.lastRejectedAt
        return source
    }

    /// Takes every pending tally, oldest source first.
    public func drain() -> [SourceRejectionTally] {
        pending.withLock { pending in
            defer { pending = ([:], 0) }
            return pending.tallies.values.sorted { $0.lastRejectedAt < $1.lastRejectedAt }
        }
    }

    /// Puts tallies back after a failed write, merged with refusals counted since.
    func restore(_ tallies: [SourceRejectionTally]) {
        pending.withLock { pending in
            for tally in tallies {
                if var newer = pending.tallies[tally.sourceID] {
                    newer.count += tally.count
                    pending.tallies[tally.sourceID] = newer
                } else {
                    pending.tallies[tally.sourceID] = tally
                }
                pending.count += tally.count
            }
        }
    }
}
