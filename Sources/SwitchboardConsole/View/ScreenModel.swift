/// Everything one frame shows, as data: what the renderer draws. Built by
/// ``ScreenBuilder`` from the state; holds only the rows that are visible.
struct ScreenModel: Sendable, Hashable {
    enum Body: Sendable, Hashable {
        case panes(tabs: [TabModel]?, panes: [PaneModel])
        case detail(DetailModel)
        case tooSmall(TooSmallModel)
    }

    var layout: Layout
    var glyphs: Glyphs
    var header: HeaderModel
    var body: Body
    var footer: FooterModel
    var overlay: OverlayModel?
}

/// The top line: segments dropped lowest priority first when they do not fit.
struct HeaderModel: Sendable, Hashable {
    struct Segment: Sendable, Hashable {
        var spans: [Span]
        var priority: Int
    }

    var left: [Segment]
    var right: [Span]
}

/// One tab of the tabbed (narrow) arrangement.
struct TabModel: Sendable, Hashable {
    var pane: Pane
    var label: String
    var badge: String?
    var focused: Bool
}

/// How wide a column is.
enum ColumnWidth: Sendable, Hashable {
    case fixed(Int)
    /// At least `min` columns, plus a share of what is left by `weight`.
    case flex(min: Int, weight: Int)
    /// At least `min` columns, growing up to `ideal` (a whole id) before flexible columns
    /// share what is left.
    case upTo(min: Int, ideal: Int)

    var minimum: Int {
        switch self {
        case .fixed(let width): width
        case .flex(let min, _): min
        case .upTo(let min, _): min
        }
    }
}

/// A list column; lower ``priority`` columns are dropped first when space runs out.
struct Column: Sendable, Hashable {
    var title: String
    var width: ColumnWidth
    var alignRight = false
    var priority: Int
    /// Cut in the middle rather than at the end when too narrow (ids, URLs).
    var truncatesInTheMiddle = false
}

/// A row of a list pane.
enum RowModel: Sendable, Hashable {
    /// One span per column.
    case cells([Span])
    /// Spans across the whole width (a delivery in the attempts pane, a section title).
    case banner([Span])
}

/// A list pane: box title, columns and the visible rows.
struct PaneModel: Sendable, Hashable {
    var pane: Pane
    var rect: Rect
    var focused: Bool
    /// Pieces of the box title after the pane's number and name.
    var badges: [Span]
    /// Right side of the title: position in the list.
    var position: String
    var columns: [Column]
    /// The visible rows only.
    var rows: [RowModel]
    /// Index into ``rows`` of the selected row, when visible.
    var selected: Int?
    /// Shown instead of rows when there are none (loading, empty, error).
    var message: Span?
    /// Lines about the selected row drawn at the bottom of the pane under a rule, only when
    /// the rows leave room for them (the list is never shortened for them).
    var summary: [[Span]] = []
}

/// The full-screen detail view.
struct DetailModel: Sendable, Hashable {
    var title: String
    /// The visible lines only.
    var lines: [[Span]]
    var position: String
}

/// The screen shown when the terminal is below the minimum size.
struct TooSmallModel: Sendable, Hashable {
    var current: TerminalSize
    var needed: TerminalSize
}

/// A key and what it does.
struct KeyHint: Sendable, Hashable {
    var key: String
    var label: String
    /// Hints with lower priority leave the footer first when it is too narrow.
    var priority: Int = 50
}

/// The bottom line.
enum FooterModel: Sendable, Hashable {
    case hints([KeyHint])
    case flash(String, Flash.Kind)
    /// A text prompt: label, the text typed so far, and a hint after it.
    case prompt(label: String, text: String, hint: String, error: String? = nil)
}

/// What is drawn over the body.
enum OverlayModel: Sendable, Hashable {
    /// The key overview, its first `scroll` lines scrolled away.
    case help(title: String, sections: [HelpSection], scroll: Int)
    case dialog(DialogModel)
}

/// A titled group of keys in the help overlay.
struct HelpSection: Sendable, Hashable {
    var title: String
    var hints: [KeyHint]
}

/// A centered box: confirmations and the new secret.
struct DialogModel: Sendable, Hashable {
    var title: String
    var lines: [[Span]]
    /// The text typed into the dialog, when it takes text.
    var input: String?
    /// Shown under the input after a wrong answer.
    var error: String?
}
