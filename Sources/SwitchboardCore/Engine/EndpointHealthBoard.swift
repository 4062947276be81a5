import Foundation
import Synchronization

/// Live, in-memory figures per endpoint over its most recent attempts: what the console's
/// endpoints pane shows.
public final class EndpointHealthBoard: Sendable {
    /// One endpoint's recent behaviour.
    public struct Snapshot: Sendable, Hashable {
        /// Attempts in the window.
        public var recentAttempts: Int
        /// Share of recent attempts that got a 2xx, 0...1; `nil` with no attempts yet.
        public var successRate: Double?
        /// Median duration of recent attempts, in milliseconds.
        public var p50Milliseconds: Int?
        public var inFlight: Int
        /// Status code of the last attempt, or its error class.
        public var lastOutcome: String?
        public var lastAttemptAt: Date?

        public init(recentAttempts: Int = 0, successRate: Double? = nil, p50Milliseconds: Int? = nil, inFlight: Int = 0, lastOutcome: String? = nil, lastAttemptAt: Date? = nil) {
            self.recentAttempts = recentAttempts
            self.successRate = successRate
            self.p50Milliseconds = p50Milliseconds
            self.inFlight = inFlight
            self.lastOutcome = lastOutcome
            self.lastAttemptAt = lastAttemptAt
        }
    }

    private struct Window {
        var outcomes: [(succeeded: Bool, milliseconds: Int)] = []
        var inFlight = 0
        var lastOutcome: String?
        var lastAttemptAt: Date?
    }

    /// Attempts kept per endpoint.
    public let windowSize: Int
    private let windows = Mutex<[String: Window]>([:])

    public init(windowSize: Int = 100) { self.windowSize = windowSize }

    /// Notes that an attempt to `endpointID` started.
    public func attemptStarted(endpointID: String) {
        windows.withLock { $0[endpointID, default: Window()].inFlight += 1 }
    }

    /// Notes an attempt that finished (or was abandoned at shutdown when `attempt` is nil).
    public func attemptFinished(endpointID: String, attempt: Attempt?) {
        windows.withLock { all in
            var window = all[endpointID, default: Window()]
            window.inFlight = max(0, window.inFlight - 1)
            if let attempt {
                window.outcomes.append((attempt.succeeded, attempt.durationMilliseconds))
                if window.outcomes.count > windowSize { window.outcomes.removeFirst(window.outcomes.count - windowSize) }
                window.lastOutcome = attempt.statusCode.map(String.init) ?? attempt.errorClass
                window.lastAttemptAt = attempt.createdAt
            }
            all[endpointID] = window
        }
    }

    public func forget(endpointID: String) {
        _ = windows.withLock { $0.removeValue(forKey: endpointID) }
    }

    /// The figures of every endpoint seen since start.
    public func snapshot() -> [String: Snapshot] {
        windows.withLock { all in
            all.mapValues { window in
                let count = window.outcomes.count
                let durations = window.outcomes.map(\.milliseconds).sorted()
                return Snapshot(
                    recentAttempts: count,
                    successRate: count == 0 ? nil : Double(window.outcomes.filter(\.succeeded).count) / Double(count),
                    p50Milliseconds: durations.isEmpty ? nil : durations[durations.count / 2],
                    inFlight: window.inFlight, lastOutcome: window.lastOutcome, lastAttemptAt: window.lastAttemptAt)
            }
        }
    }
}
