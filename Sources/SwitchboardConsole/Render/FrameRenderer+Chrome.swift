/// Header, footer and the overlays drawn over the body.
extension FrameRenderer {
    // MARK: Header

    mutating func drawHeader(_ header: HeaderModel, in rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        frame.fill(rect, role: .header)
        let rightText = header.right.map(\.text).joined()
        let rightWidth = TextWidth.of(rightText)
        let showsRight = rightWidth + 12 <= rect.width
        let available = rect.width - (showsRight ? rightWidth + 1 : 0)
        // Keep the most important segments that fit, in their original order.
        var chosen = Set<Int>()
        var used = 0
        for index in header.left.indices.sorted(by: { header.left[$0].priority > header.left[$1].priority }) {
            let width = header.left[index].spans.reduce(0) { $0 + $1.width }
            if used + width <= available {
                chosen.insert(index)
                used += width
            }
        }
        var x = rect.x
        for (index, segment) in header.left.enumerated() where chosen.contains(index) {
            x += frame.put(segment.spans, x: x, y: rect.y, maxWidth: rect.maxX - x)
        }
        if showsRight { frame.put(header.right, x: rect.maxX - rightWidth, y: rect.y, maxWidth: rightWidth) }
    }

    // MARK: Footer

    mutating func drawFooter(_ footer: FooterModel, in rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        frame.fill(rect, role: .footer)
        let y = rect.y
        switch footer {
        case .hints(let hints):
            // Keep the most important hints that fit, in their original order.
            var chosen = Set<Int>()
            var used = 0
            for index in hints.indices.sorted(by: { hints[$0].priority > hints[$1].priority }) {
                let width = TextWidth.of(hints[index].key) + 1 + TextWidth.of(hints[index].label) + 2
                if used + width <= rect.width - 1 {
                    chosen.insert(index)
                    used += width
                }
            }
            var x = rect.x + 1
            for (index, hint) in hints.enumerated() where chosen.contains(index) {
                x += frame.put(hint.key, x: x, y: y, role: .key, maxWidth: rect.maxX - x)
                x += frame.put(" " + hint.label, x: x, y: y, role: .footer, maxWidth: rect.maxX - x)
                x += 2
            }
        case .flash(let message, let kind):
            let role: StyleRole = switch kind {
            case .success: .flashSuccess
            case .error: .flashError
            case .info: .flashInfo
            }
            let text = TextWidth.truncate(" " + message + " ", to: rect.width, ellipsis: glyphs.ellipsis)
            frame.fill(rect, role: role)
            frame.put(text, x: rect.x, y: y, role: role, maxWidth: rect.width)
        case .prompt(let label, let text, let hint, let error):
            var x = rect.x + frame.put(label + " ", x: rect.x, y: y, role: .key)
            let room = max(1, rect.maxX - x - 1)
            var shown = text
            while TextWidth.of(shown) > room - 1, !shown.isEmpty { shown.removeFirst() }
            x += frame.put(shown, x: x, y: y, role: .input, maxWidth: room)
            frame.cursor = Point(x: min(x, rect.maxX - 1), y: y)
            frame.put(" ", x: x, y: y, role: .input, maxWidth: 1)
            x += 1
            if let error {
                // A term the filter cannot use is said, never silently ignored.
                frame.put(TextWidth.truncate("  " + error, to: max(0, rect.maxX - x), ellipsis: glyphs.ellipsis), x: x, y: y, role: .error, maxWidth: max(0, rect.maxX - x))
            } else if x + TextWidth.of(hint) <= rect.maxX {
                frame.put(hint, x: x, y: y, role: .muted)
            }
        }
    }

    // MARK: Overlays

    /// A centered box of `width` × `height` (clipped to the screen), cleared, with a title.
    private mutating func drawModalBox(width: Int, height: Int, title: String) -> Rect {
        let width = min(width, frame.width - 2), height = min(height, frame.height - 2)
        let rect = Rect(x: max(0, (frame.width - width) / 2), y: max(1, (frame.height - height) / 2), width: width, height: height)
        frame.fill(rect, role: .modal)
        drawBox(rect, title: [Span(title, .modalBorder)], focused: true, borderRole: .modalBorder)
        return rect
    }

    mutating func drawHelp(title: String, sections: [HelpSection], scroll: Int) {
        let keyWidth = min(20, sections.flatMap(\.hints).map { TextWidth.of($0.key) }.max() ?? 0)
        var lines: [[Span]] = []
        for (index, section) in sections.enumerated() {
            if index > 0 { lines.append([]) }
            lines.append([Span(section.title, .titleFocused)])
            for hint in section.hints {
                lines.append([Span("  " + TextWidth.fit(hint.key, to: keyWidth, ellipsis: glyphs.ellipsis), .key), Span("  " + hint.label, .modal)])
            }
        }
        let widest = lines.map { $0.reduce(0) { $0 + $1.width } }.max() ?? 0
        let rect = drawModalBox(width: widest + 4, height: lines.count + 2, title: title)
        let inner = rect.inset(by: 1)
        guard inner.height > 0 else { return }
        // Taller than the box: scroll (j/k), with the position on the bottom border.
        let fits = lines.count <= inner.height
        let start = fits ? 0 : max(0, min(scroll, lines.count - inner.height))
        for offset in 0..<min(inner.height, lines.count - start) {
            frame.put(lines[start + offset], x: inner.x + 1, y: inner.y + offset, maxWidth: max(0, inner.width - 2))
        }
        if !fits {
            let position = " \(start + 1)-\(start + inner.height)/\(lines.count) j/k "
            if TextWidth.of(position) + 4 <= rect.width {
                frame.put(position, x: rect.maxX - 2 - TextWidth.of(position), y: rect.maxY - 1, role: .modalBorder)
            }
        }
    }

    mutating func drawDialog(_ dialog: DialogModel) {
        let maxWidth = min(76, frame.width - 2)
        let textWidth = max(10, maxWidth - 4)
        var lines: [[Span]] = dialog.lines.flatMap { SpanWrap.wrap($0, width: textWidth, indent: 2).isEmpty ? [[]] : SpanWrap.wrap($0, width: textWidth, indent: 2) }
        if let input = dialog.input {
            var shown = input
            while TextWidth.of(shown) > textWidth - 3, !shown.isEmpty { shown.removeFirst() }
            lines.append([Span("> ", .key), Span(shown + " ", .input)])
        }
        if let error = dialog.error { lines += SpanWrap.wrap([Span(error, .error)], width: textWidth) }
        let widest = lines.map { $0.reduce(0) { $0 + $1.width } }.max() ?? 0
        let rect = drawModalBox(width: max(widest, TextWidth.of(dialog.title) + 4, 30) + 4, height: lines.count + 2, title: dialog.title)
        let inner = rect.inset(by: 1)
        for (offset, line) in lines.enumerated() where offset < inner.height {
            let written = frame.put(line, x: inner.x + 1, y: inner.y + offset, maxWidth: max(0, inner.width - 2))
            if dialog.input != nil && line.first?.text == "> " {
                frame.cursor = Point(x: min(inner.x + written, inner.maxX - 1), y: inner.y + offset)
            }
        }
    }
}
