/// The console's panes. Four show at once (or one per tab), numbered as the keys `1`–`4`
/// select them; pane 1 shows either the endpoints or, after `s`, the inbound sources.
enum Pane: Sendable, Hashable, CaseIterable {
    case endpoints
    /// Inbound sources: the alternative view of pane 1.
    case sources
    case events
    /// Failed and retrying deliveries across all endpoints: the alternative view of pane 2.
    case failures
    case attempts
    case retryQueue
    /// The server's recent log lines: the alternative view of pane 4.
    case logs

    /// The number shown in titles and tabs, and the digit key that focuses the pane.
    var number: Int {
        switch self {
        case .endpoints, .sources: 1
        case .events, .failures: 2
        case .attempts: 3
        case .retryQueue, .logs: 4
        }
    }

    var title: String {
        switch self {
        case .endpoints: "Endpoints"
        case .sources: "Sources"
        case .events: "Events"
        case .attempts: "Attempts"
        case .retryQueue: "Retry queue"
        case .failures: "Failures"
        case .logs: "Log"
        }
    }

    /// The four panes on screen, in `Tab` order, when panes 1, 2 and 4 show these views.
    static func onScreen(paneOne: Pane, paneTwo: Pane = .events, paneFour: Pane = .retryQueue) -> [Pane] {
        [paneOne, paneTwo, .attempts, paneFour]
    }

    /// Whether the pane is one of pane 1's two views.
    var isPaneOne: Bool { self == .endpoints || self == .sources }
}

/// Where a list pane is: the selected row and the first row shown.
struct ListCursor: Sendable, Hashable {
    /// Index of the selected row among the pane's (filtered) rows.
    var selection = 0
    /// Index of the first row drawn.
    var top = 0
    /// The id of the selected row, to keep it selected when rows move.
    var selectedID: String?
}

/// The terminal's size in cells.
struct TerminalSize: Sendable, Hashable {
    var columns: Int
    var rows: Int

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }
}
