/// The console's four panes, numbered as the keys `1`–`4` select them.
enum Pane: Int, Sendable, Hashable, CaseIterable {
    case endpoints = 1
    case events = 2
    case attempts = 3
    case retryQueue = 4

    var title: String {
        switch self {
        case .endpoints: "Endpoints"
        case .events: "Events"
        case .attempts: "Attempts"
        case .retryQueue: "Retry queue"
        }
    }

    /// The pane `Tab` moves to.
    var next: Pane { Pane(rawValue: rawValue % 4 + 1)! }

    /// The pane `Shift-Tab` moves to.
    var previous: Pane { Pane(rawValue: (rawValue + 2) % 4 + 1)! }
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
