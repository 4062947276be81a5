/// Where everything goes for a terminal size: four panes at 100 columns or more, one
/// pane at a time under tabs below that, and a "too small" screen under ``minimum``.
/// Pane 1's two views (endpoints and sources) share one rectangle.
struct Layout: Sendable, Hashable {
    enum Arrangement: Sendable, Hashable {
        /// Endpoints and events on top, retry queue and attempts below.
        case quad
        /// One pane at a time, with a tab bar naming all four.
        case tabbed
        /// Smaller than ``Layout/minimum``.
        case tooSmall
    }

    /// The smallest size the console draws in.
    static let minimum = TerminalSize(columns: 60, rows: 16)
    /// The smallest size that shows all four panes at once.
    static let quadMinimum = TerminalSize(columns: 100, rows: 20)

    let size: TerminalSize
    let arrangement: Arrangement
    let header: Rect
    let footer: Rect
    /// Between header and footer.
    let body: Rect
    let tabBar: Rect?
    private let paneRects: [Pane: Rect]

    init(size: TerminalSize) {
        self.size = size
        let columns = max(0, size.columns), rows = max(0, size.rows)
        header = Rect(x: 0, y: 0, width: columns, height: min(1, rows))
        footer = Rect(x: 0, y: max(0, rows - 1), width: columns, height: min(1, rows))
        body = Rect(x: 0, y: 1, width: columns, height: max(0, rows - 2))
        if columns < Self.minimum.columns || rows < Self.minimum.rows {
            arrangement = .tooSmall
            tabBar = nil
            paneRects = [:]
        } else if columns >= Self.quadMinimum.columns && rows >= Self.quadMinimum.rows {
            arrangement = .quad
            tabBar = nil
            let leftWidth = columns * 48 / 100
            let topHeight = (body.height + 1) / 2
            let left = Rect(x: 0, y: body.y, width: leftWidth, height: topHeight)
            let right = Rect(x: leftWidth, y: body.y, width: columns - leftWidth, height: topHeight)
            let bottomY = body.y + topHeight, bottomHeight = body.height - topHeight
            paneRects = [
                .endpoints: left,
                .sources: left,
                .events: right,
                .failures: right,
                .logs: Rect(x: 0, y: bottomY, width: leftWidth, height: bottomHeight),
                .attempts: Rect(x: leftWidth, y: bottomY, width: columns - leftWidth, height: bottomHeight),
                .retryQueue: Rect(x: 0, y: bottomY, width: leftWidth, height: bottomHeight),
            ]
        } else {
            arrangement = .tabbed
            tabBar = Rect(x: 0, y: body.y, width: columns, height: 1)
            let pane = Rect(x: 0, y: body.y + 1, width: columns, height: body.height - 1)
            paneRects = Dictionary(uniqueKeysWithValues: Pane.allCases.map { ($0, pane) })
        }
    }

    /// The rectangle of `pane` (in the tabbed arrangement all panes share one).
    func rect(for pane: Pane) -> Rect { paneRects[pane] ?? .zero }

    /// Panes drawn when `focus` has the focus and pane 1 shows `paneOne`.
    func visiblePanes(focus: Pane, paneOne: Pane = .endpoints, paneTwo: Pane = .events, paneFour: Pane = .retryQueue) -> [Pane] {
        switch arrangement {
        case .quad: Pane.onScreen(paneOne: paneOne, paneTwo: paneTwo, paneFour: paneFour)
        case .tabbed: [focus]
        case .tooSmall: []
        }
    }

    /// Rows of items a list pane shows: its height less the borders and the column header.
    func listHeight(for pane: Pane) -> Int { max(1, rect(for: pane).height - 3) }

    /// The detail view's box.
    var detailRect: Rect { body }

    /// Lines of text the detail view shows at once.
    var detailTextHeight: Int { max(1, body.height - 2) }

    /// Columns of text in the detail view.
    var detailTextWidth: Int { max(1, body.width - 4) }
}
