/// Draws a ``ScreenModel`` into a ``Frame``: boxes, columns, truncation, selection.
/// Knows nothing of curses; the same frame is what golden tests compare.
struct FrameRenderer {
    let glyphs: Glyphs
    var frame: Frame

    /// The frame of `screen`.
    static func render(_ screen: ScreenModel) -> Frame {
        var renderer = FrameRenderer(
            glyphs: screen.glyphs,
            frame: Frame(width: screen.layout.size.columns, height: screen.layout.size.rows, asciiOnly: !screen.glyphs.allowsUnicode))
        renderer.draw(screen)
        return renderer.frame
    }

    private mutating func draw(_ screen: ScreenModel) {
        let layout = screen.layout
        switch screen.body {
        case .tooSmall(let model):
            drawTooSmall(model)
            return
        case .panes(let tabs, let panes):
            if let tabs, let bar = layout.tabBar { drawTabs(tabs, in: bar) }
            for pane in panes { drawPane(pane) }
        case .detail(let detail):
            drawDetail(detail, in: layout.detailRect)
        }
        drawHeader(screen.header, in: layout.header)
        drawFooter(screen.footer, in: layout.footer)
        switch screen.overlay {
        case .help(let title, let sections, let scroll): drawHelp(title: title, sections: sections, scroll: scroll)
        case .dialog(let dialog): drawDialog(dialog)
        case nil: break
        }
    }

    // MARK: Boxes

    /// A box around `rect` with `title` spans on the top border and `right` text at its right end.
    mutating func drawBox(_ rect: Rect, title: [Span], right: String = "", focused: Bool, borderRole: StyleRole? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let role = borderRole ?? (focused ? .borderFocused : .border)
        let horizontal = String(repeating: glyphs.horizontal, count: rect.width - 2)
        frame.put(glyphs.topLeft + horizontal + glyphs.topRight, x: rect.x, y: rect.y, role: role)
        frame.put(glyphs.bottomLeft + horizontal + glyphs.bottomRight, x: rect.x, y: rect.maxY - 1, role: role)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            frame.put(glyphs.vertical, x: rect.x, y: y, role: role)
            frame.put(glyphs.vertical, x: rect.maxX - 1, y: y, role: role)
        }
        let rightText = right.isEmpty ? "" : " \(right) "
        let rightWidth = TextWidth.of(rightText)
        let available = rect.width - 4 - (rightWidth > 0 ? rightWidth + 1 : 0)
        if rightWidth > 0 && rightWidth <= rect.width - 4 {
            frame.put(rightText, x: rect.maxX - 2 - rightWidth, y: rect.y, role: role)
        }
        // The title's first span always shows (cut if need be); later spans only whole.
        var x = rect.x + 2
        var used = 0
        for (index, span) in title.enumerated() {
            let piece = (index == 0 ? " " : " \(glyphs.separator) ") + span.text + (index == title.count - 1 ? " " : "")
            let width = TextWidth.of(piece)
            if index > 0 && used + width > available {
                // The spans left out take the closing space of the last one drawn.
                if used < available { frame.put(" ", x: x, y: rect.y, role: role, maxWidth: 1) }
                break
            }
            let text = index == 0 ? TextWidth.truncate(piece, to: available, ellipsis: glyphs.ellipsis) : piece
            let written = frame.put(text, x: x, y: rect.y, role: span.role, maxWidth: max(0, available - used))
            if index > 0 { frame.restyle(Rect(x: x + 1, y: rect.y, width: TextWidth.of(glyphs.separator), height: 1), role: role) }
            x += written
            used += written
            if used >= available { break }
        }
    }

    // MARK: Panes

    private mutating func drawPane(_ pane: PaneModel) {
        let rect = pane.rect
        guard rect.width >= 4, rect.height >= 3 else { return }
        frame.fill(rect)
        let title = [Span("\(pane.pane.number) \(pane.pane.title)", pane.focused ? .titleFocused : .title)] + pane.badges
        drawBox(rect, title: title, right: pane.position, focused: pane.focused)
        let inner = rect.inset(by: 1)
        let contentX = inner.x + 1, contentWidth = max(0, inner.width - 2)
        let widths = ColumnLayout.widths(pane.columns, available: contentWidth)
        if inner.height >= 1 {
            frame.fill(Rect(x: inner.x, y: inner.y, width: inner.width, height: 1), role: .columnHeader)
            drawCells(pane.columns.map { Span($0.title, .columnHeader) }, columns: pane.columns, widths: widths, x: contentX, y: inner.y, roleOverride: .columnHeader)
        }
        if pane.rows.isEmpty, let message = pane.message, inner.height >= 2 {
            for (offset, line) in TextWidth.wrap(message.text, to: contentWidth).prefix(inner.height - 1).enumerated() {
                frame.put(line, x: contentX, y: inner.y + 1 + offset, role: message.role, maxWidth: contentWidth)
            }
            return
        }
        let summaryTop = inner.maxY - pane.summary.count
        if !pane.summary.isEmpty && summaryTop - 1 > inner.y + pane.rows.count {
            frame.put(String(repeating: glyphs.horizontal, count: max(0, contentWidth)), x: contentX, y: summaryTop - 1, role: .border, maxWidth: contentWidth)
            for (offset, line) in pane.summary.enumerated() {
                frame.put(line, x: contentX, y: summaryTop + offset, maxWidth: contentWidth)
            }
        }
        for (offset, row) in pane.rows.enumerated() {
            let y = inner.y + 1 + offset
            guard y < inner.maxY else { break }
            var roleOverride: StyleRole?
            if offset == pane.selected {
                roleOverride = pane.focused ? .selection : .selectionInactive
                frame.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: roleOverride!)
            }
            switch row {
            case .cells(let cells):
                drawCells(cells, columns: pane.columns, widths: widths, x: contentX, y: y, roleOverride: roleOverride)
            case .banner(let spans):
                let spans = roleOverride.map { role in spans.map { Span($0.text, role) } } ?? spans
                var used = frame.put(spans, x: contentX, y: y, maxWidth: contentWidth)
                if used >= contentWidth && spans.reduce(0, { $0 + $1.width }) > contentWidth {
                    used = contentWidth - 1
                    frame.put(glyphs.ellipsis, x: contentX + used, y: y, role: roleOverride ?? .muted, maxWidth: 1)
                }
            }
        }
    }

    private mutating func drawCells(_ cells: [Span], columns: [Column], widths: [Int?], x: Int, y: Int, roleOverride: StyleRole?) {
        var column = x
        for (index, cell) in cells.enumerated() where index < columns.count {
            guard let width = widths[index] else { continue }
            let text = TextWidth.fit(
                cell.text, to: width, alignRight: columns[index].alignRight, ellipsis: glyphs.ellipsis, middle: columns[index].truncatesInTheMiddle)
            frame.put(text, x: column, y: y, role: roleOverride ?? cell.role, maxWidth: width)
            column += width + ColumnLayout.gap
        }
    }

    private mutating func drawTabs(_ tabs: [TabModel], in bar: Rect) {
        frame.fill(bar, role: .border)
        var x = bar.x
        for (index, tab) in tabs.enumerated() {
            if index > 0 { x += frame.put(glyphs.vertical, x: x, y: bar.y, role: .border) }
            x += frame.put(" \(tab.label) ", x: x, y: bar.y, role: tab.focused ? .selection : .title, maxWidth: bar.maxX - x)
            if let badge = tab.badge {
                x += frame.put(badge, x: x, y: bar.y, role: .badge, maxWidth: bar.maxX - x)
                x += frame.put(" ", x: x, y: bar.y, role: .border, maxWidth: bar.maxX - x)
            }
            if x >= bar.maxX { break }
        }
    }

    // MARK: Detail

    private mutating func drawDetail(_ detail: DetailModel, in rect: Rect) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        frame.fill(rect)
        drawBox(rect, title: [Span(detail.title, .titleFocused)], right: detail.position, focused: true)
        let inner = rect.inset(by: 1)
        for (offset, line) in detail.lines.enumerated() where offset < inner.height {
            frame.put(line, x: inner.x + 1, y: inner.y + offset, maxWidth: max(0, inner.width - 2))
        }
    }

    // MARK: Too small

    private mutating func drawTooSmall(_ model: TooSmallModel) {
        let times = glyphs.allowsUnicode ? "×" : "x"
        let lines = [
            Span("Terminal too small", .error),
            Span("\(model.current.columns)\(times)\(model.current.rows), need \(model.needed.columns)\(times)\(model.needed.rows)", .plain),
            Span("Enlarge the window, or press q to quit", .muted),
        ]
        let top = max(0, (frame.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < frame.height {
            let text = TextWidth.truncate(line.text, to: frame.width, ellipsis: glyphs.ellipsis)
            frame.put(text, x: max(0, (frame.width - TextWidth.of(text)) / 2), y: top + offset, role: line.role)
        }
    }
}
