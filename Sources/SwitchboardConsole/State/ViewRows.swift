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

extension FailureRow {
    /// The row of a failed or retrying delivery as the store lists it.
    init(_ failed: FailedDelivery) {
        self.init(
            delivery: failed.delivery, eventType: failed.eventType, endpointURL: failed.endpointURL ?? "", lastError: failed.lastError,
            lastStatusCode: failed.lastStatusCode, attemptCount: failed.attemptCount, nextAttemptAt: failed.nextAttemptAt)
    }
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

extension LogRow {
    /// The row of a line of the server's log ring.
    init(_ entry: LogEntry) {
        let level: Level =
            switch entry.level {
            case .trace: .trace
            case .debug: .debug
            case .info: .info
            case .notice: .notice
            case .warning: .warning
            case .error: .error
            case .critical: .critical
            }
        self.init(at: entry.time, level: level, label: entry.label, message: entry.message)
    }
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

extension LocatedTarget {
    /// Where the console opens an id the store located; `nil` for a kind it cannot open (sources).
    init?(_ located: LocatedID) {
        switch located.kind {
        case .event:
            self = .event(EventRef(id: located.id, tenantID: located.tenantID))
        case .delivery:
            guard let eventID = located.eventID else { return nil }
            self = .delivery(EventRef(id: eventID, tenantID: located.tenantID), deliveryID: located.id)
        case .attempt:
            guard let eventID = located.eventID, let deliveryID = located.deliveryID else { return nil }
            self = .attempt(EventRef(id: eventID, tenantID: located.tenantID), deliveryID: deliveryID, attemptID: located.id)
        case .endpoint:
            self = .endpoint(id: located.id, tenantID: located.tenantID)
        case .source:
            return nil
        }
    }
}
