import Foundation

/// The delivery state machine: a value fed with inputs, each returning what to do next.
///
/// It holds no I/O and reads no clock: time and randomness are passed in, so every
/// transition can be tested by feeding inputs and checking the resulting action. It covers
/// what an attempt decides; moves that operators make without an attempt (pause, resume,
/// retry now, recover) are single store transactions, pinned by the store's tests.
public struct DeliveryStateMachine: Sendable, Hashable {
    /// What the dispatcher must do after an attempt.
    public enum Action: Sendable, Hashable {
        /// Mark the delivery succeeded.
        case succeed
        /// Try again at `date`.
        case retry(at: Date)
        /// No attempts left: mark the delivery failed.
        case fail
        /// The receiver is gone (410): fail this delivery and disable the endpoint.
        case failAndDisableEndpoint(reason: String)
    }

    public private(set) var state: Delivery.State
    /// Attempts made so far.
    public private(set) var attemptCount: Int
    public private(set) var nextAttemptAt: Date?
    public let policy: RetryPolicy

    public init(state: Delivery.State, attemptCount: Int, nextAttemptAt: Date? = nil, policy: RetryPolicy) {
        self.state = state
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.policy = policy
    }

    /// Starts an attempt: the delivery is in flight and its attempt number is returned.
    public mutating func startAttempt() -> Int {
        state = .inFlight
        nextAttemptAt = nil
        attemptCount += 1
        return attemptCount
    }

    /// Feeds the outcome of the attempt started last.
    ///
    /// - Parameters:
    ///   - now: when the attempt finished.
    ///   - unit: a random number in 0..<1 for jitter.
    public mutating func finishAttempt(_ outcome: AttemptOutcome, now: Date, unit: Double) -> Action {
        if outcome.isSuccess {
            state = .succeeded
            return .succeed
        }
        if outcome.isPermanentFailure {
            state = .failed
            return .fail
        }
        var retryAfter: TimeInterval?
        if case .response(let code, let after) = outcome {
            if code == 410 {
                state = .failed
                return .failAndDisableEndpoint(reason: "gone")
            }
            if code == 429 || code == 503 { retryAfter = after }
        }
        guard let delay = policy.delay(after: attemptCount, retryAfter: retryAfter, unit: unit) else {
            state = .failed
            return .fail
        }
        let due = now.addingTimeInterval(delay)
        state = .scheduled
        nextAttemptAt = due
        return .retry(at: due)
    }
}
