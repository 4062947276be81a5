import Foundation
import SwitchboardCore

/// A row of the failures view (`F`): a delivery that failed for good or is retrying after a
/// failure, with what the operator needs to judge it.
struct FailureRow: Sendable, Hashable {
    var delivery: Delivery
    var eventType: String
    var endpointURL: String
    var lastError: String?
    var lastStatusCode: Int?
    var attemptCount: Int
    var nextAttemptAt: Date?

    var id: String { delivery.id }
}

/// One endpoint's part of the retry queue (pane 4): counts and when the next is due.
struct QueueGroup: Sendable, Hashable {
    var endpointID: String
    var tenantID: TenantID
    var url: String
    var waiting: Int
    var paused: Int
    var scheduled: Int
    var nextDue: Date?

    var total: Int { waiting + paused + scheduled }
}

/// A line of the server's log (pane 4's `l` view).
struct LogRow: Sendable, Hashable {
    enum Level: Int, Sendable, Hashable, Comparable {
        case trace, debug, info, notice, warning, error, critical

        static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        var word: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }
    }

    var at: Date
    var level: Level
    var label: String
    var message: String
}

/// Who the console talks to, and how the connection is, for the header.
struct SessionStatus: Sendable, Hashable {
    enum Connection: Sendable, Hashable {
        case live
        case connecting(attempt: Int)
        case lost(reason: String, since: Date)
    }

    /// `embedded`, or the URL of the server attached to.
    var target: String
    var attached: Bool
    var serverVersion: String
    var connection: Connection = .live
}

/// Where a whole id lives, as the console jumps to it.
enum LocatedTarget: Sendable, Hashable {
    case event(EventRef)
    case delivery(EventRef, deliveryID: String)
    case attempt(EventRef, deliveryID: String, attemptID: String)
    case endpoint(id: String, tenantID: TenantID)
}
