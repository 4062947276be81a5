import Foundation

/// When failed deliveries are tried again.
///
/// `schedule[n]` is the delay before attempt `n + 1`; the first entry is normally 0 (the
/// first attempt is immediate), so a schedule of 8 entries allows 8 attempts.
public struct RetryPolicy: Sendable, Hashable {
    /// Immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
    public static let defaultSchedule: [TimeInterval] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000]

    /// Delay before each attempt, in seconds.
    public var schedule: [TimeInterval]
    /// Relative random spread applied to each retry delay: 0.2 means ±20 %.
    public var jitter: Double
    /// Bounds within which a receiver's `Retry-After` replaces the scheduled delay; the
    /// maximum defaults to the schedule's longest step.
    public var retryAfterMinimum: TimeInterval
    public var retryAfterMaximum: TimeInterval

    public init(
        schedule: [TimeInterval] = RetryPolicy.defaultSchedule, jitter: Double = 0.2,
        retryAfterMinimum: TimeInterval = 1, retryAfterMaximum: TimeInterval? = nil
    ) {
        precondition(!schedule.isEmpty, "a retry schedule needs at least one attempt")
        self.schedule = schedule
        self.jitter = jitter
        self.retryAfterMinimum = retryAfterMinimum
        self.retryAfterMaximum = retryAfterMaximum ?? max(retryAfterMinimum, schedule.max() ?? 0)
    }

    /// How long a receiver's `Retry-After` of `seconds` holds its endpoint: within the bounds.
    public func clampRetryAfter(_ seconds: TimeInterval) -> TimeInterval {
        min(max(seconds, retryAfterMinimum), retryAfterMaximum)
    }

    /// Total attempts a delivery gets.
    public var maxAttempts: Int { schedule.count }

    /// The delay before attempt `attemptNumber + 1` after attempt `attemptNumber` failed, or
    /// `nil` when no attempts are left. `unit` is a number in 0..<1 drawn at random.
    public func delay(after attemptNumber: Int, retryAfter: TimeInterval?, unit: Double) -> TimeInterval? {
        guard attemptNumber < schedule.count else { return nil }
        if let retryAfter {
            return clampRetryAfter(retryAfter)
        }
        let base = schedule[attemptNumber]
        let spread = (unit * 2 - 1) * jitter  // -jitter ... +jitter
        return max(0, base * (1 + spread))
    }
}
