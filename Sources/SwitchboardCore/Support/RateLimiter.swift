import Foundation
import Synchronization

/// Token buckets keyed by a string (an API key id, a client address, a source id), kept in
/// memory behind a lock and read synchronously.
///
/// Each key has a bucket of ``burst`` tokens refilled at ``ratePerSecond``; a request takes
/// one. The table is bounded: past ``maxKeys`` entries, full buckets (indistinguishable from
/// absent ones) are dropped first, then the least recently used. Time comes from the injected
/// ``WallClock`` so tests are deterministic.
public final class RateLimiter: Sendable {
    /// What one ``acquire(_:)`` decided, with the figures for `RateLimit-*` headers.
    public struct Decision: Sendable, Hashable {
        /// Whether the request may proceed (a token was taken).
        public var allowed: Bool
        /// The bucket's size (`RateLimit-Limit`).
        public var limit: Int
        /// Whole tokens left after this request (`RateLimit-Remaining`).
        public var remaining: Int
        /// Whole seconds until the bucket is full again (`RateLimit-Reset`).
        public var resetSeconds: Int
        /// Whole seconds until the next token, at least 1 (`Retry-After`); 0 when allowed.
        public var retryAfterSeconds: Int
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    /// Tokens added per second.
    public let ratePerSecond: Double
    /// Size of each bucket: requests allowed at once after a quiet period.
    public let burst: Int
    /// Most keys remembered at once.
    public let maxKeys: Int
    private let clock: any WallClock
    private let buckets = Mutex<[String: Bucket]>([:])

    /// A limiter allowing `burst` requests at once and `ratePerSecond` sustained, per key.
    /// A rate of 0 or less disables it (every request is allowed).
    public init(ratePerSecond: Double, burst: Int, maxKeys: Int = 10_000, clock: any WallClock = SystemWallClock()) {
        self.ratePerSecond = ratePerSecond
        self.burst = max(1, burst)
        self.maxKeys = max(1, maxKeys)
        self.clock = clock
    }

    /// Whether the limiter limits anything.
    public var isEnabled: Bool { ratePerSecond > 0 }

    /// Takes a token from `key`'s bucket when one is there.
    public func acquire(_ key: String) -> Decision {
        take(key, consume: true)
    }

    /// Whether `key` has a token, without taking it.
    public func peek(_ key: String) -> Decision {
        take(key, consume: false)
    }

    /// Keys currently remembered (for tests).
    public var trackedKeys: Int { buckets.withLock { $0.count } }

    private func take(_ key: String, consume: Bool) -> Decision {
        guard isEnabled else {
            return Decision(allowed: true, limit: burst, remaining: burst, resetSeconds: 0, retryAfterSeconds: 0)
        }
        let now = clock.now()
        let capacity = Double(burst)
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(capacity, bucket.tokens + elapsed * ratePerSecond)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed, consume { bucket.tokens -= 1 }
            if consume || buckets[key] != nil {
                buckets[key] = bucket
                if buckets.count > maxKeys { Self.evict(&buckets, keeping: maxKeys, capacity: capacity, rate: ratePerSecond, now: now) }
            }
            let missing = capacity - bucket.tokens
            return Decision(
                allowed: allowed, limit: burst, remaining: Int(bucket.tokens.rounded(.down)),
                resetSeconds: Int((missing / ratePerSecond).rounded(.up)),
                retryAfterSeconds: allowed ? 0 : max(1, Int(((1 - bucket.tokens) / ratePerSecond).rounded(.up))))
        }
    }

    /// Drops full buckets, then the least recently used, down to three quarters of `keeping`.
    private static func evict(_ buckets: inout [String: Bucket], keeping: Int, capacity: Double, rate: Double, now: Date) {
        let target = max(1, keeping * 3 / 4)
        buckets = buckets.filter { $0.value.tokens + max(0, now.timeIntervalSince($0.value.updated)) * rate < capacity }
        guard buckets.count > target else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(buckets.count - target).map(\.key)
        for key in oldest { buckets[key] = nil }
    }
}
