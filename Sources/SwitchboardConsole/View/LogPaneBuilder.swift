import SwitchboardCore

/// Pane 4's log view (`l`): the server's recent log lines, warnings and errors first.
enum LogPaneBuilder {
    static func build(_ state: ConsoleState, layout: Layout) -> PaneModel {
        let rows = state.visibleLogs()
        let cursor = state.cursor(.logs)
        let height = layout.listHeight(for: .logs)
        let columns = [
            Column(title: "at", width: .fixed(8), priority: 80),
            Column(title: "level", width: .fixed(8), priority: 100),
            Column(title: "message", width: .flex(min: 10, weight: 4), priority: 90),
            Column(title: "from", width: .flex(min: 6, weight: 1), priority: 40),
        ]
        let visible = cursor.top..<min(rows.count, cursor.top + height)
        let models: [RowModel] = visible.map { index in
            let line = rows[index]
            let role: StyleRole = line.level >= .error ? .error : line.level == .warning ? .warning : .muted
            return .cells([
                Span(Format.clock(line.at, timeZone: state.timeZone), .muted), Span(line.level.word, role),
                Span(line.message), Span(line.label, .muted),
            ])
        }
        var badges: [Span] = []
        let problems = state.logs.count { $0.level >= .warning }
        if problems > 0 { badges.append(Span("\(problems) warnings/errors", .warning)) }
        if let filter = state.filters[.logs] { badges.append(Span("/" + filter.text, .key)) }
        let message: Span? =
            if let error = state.loadErrors[.logs], rows.isEmpty { Span("No log: \(error)", .muted) }
            else if state.sync[.logs].lastLoaded == nil && rows.isEmpty { Span("Loading…", .muted) }
            else if rows.isEmpty { Span("Nothing logged yet: l goes back to the retry queue", .muted) }
            else { nil }
        return PaneModel(
            pane: .logs, rect: layout.rect(for: .logs), focused: state.focus == .logs, badges: badges,
            position: PaneBuilding.position(cursor.selection, count: rows.count), columns: columns, rows: models,
            selected: visible.contains(cursor.selection) ? cursor.selection - cursor.top : nil, message: message)
    }
}
