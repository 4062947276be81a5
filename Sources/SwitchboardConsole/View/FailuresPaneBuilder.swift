import SwitchboardCore

/// Pane 2's failures view (`F`): deliveries that failed for good or are retrying after a
/// failure, across all endpoints, newest first, with the last error and the attempt count.
enum FailuresPaneBuilder {
    static func build(_ state: ConsoleState, layout: Layout) -> PaneModel {
        let glyphs = state.glyphs
        let rows = state.visibleFailures()
        let cursor = state.cursor(.failures)
        let height = layout.listHeight(for: .failures)
        let columns = [
            Column(title: "at", width: .fixed(8), priority: 60),
            Column(title: "state", width: .fixed(17), priority: 100),
            Column(title: "endpoint", width: .flex(min: 8, weight: 1), priority: 90),
            Column(title: "type", width: .flex(min: 8, weight: 1), priority: 30),
            Column(title: "#", width: .fixed(3), alignRight: true, priority: 70),
            Column(title: "last error", width: .flex(min: 14, weight: 4), priority: 80),
            Column(title: "delivery", width: .flex(min: 12, weight: 2), priority: 40, truncatesInTheMiddle: true),
        ]
        let visible = cursor.top..<min(rows.count, cursor.top + height)
        let models: [RowModel] = visible.map { index in
            let row = rows[index]
            let stateSpan: Span =
                if row.delivery.state == .failed { Span("\(glyphs.failed) failed", .error) }
                else {
                    Span("\(glyphs.retrying) retrying" + (row.nextAttemptAt.map { " " + Format.countdown(to: $0, now: state.now).replacingOccurrences(of: "in ", with: "") } ?? ""), .warning)
                }
            let error = [row.lastStatusCode.map { "HTTP \($0)" }, row.lastError].compactMap { $0 }.joined(separator: " ")
            return .cells([
                Span(Format.clock(row.delivery.updatedAt, timeZone: state.timeZone), .muted),
                stateSpan,
                Span(state.endpoint(id: row.delivery.endpointID)?.name ?? row.delivery.endpointID),
                Span(row.eventType, .muted),
                Span("\(row.attemptCount)", .muted),
                Span(error.isEmpty ? "-" : error, .error),
                Span(row.delivery.id, .muted),
            ])
        }
        var badges: [Span] = []
        let failed = state.failures.count { $0.delivery.state == .failed }
        badges.append(Span("\(failed) failed", failed > 0 ? .error : .muted))
        badges.append(Span("\(state.failures.count - failed) retrying", .warning))
        if let filter = state.filters[.failures] { badges.append(Span("/" + filter.text, .key)) }
        let message: Span? =
            if let error = state.loadErrors[.failures], rows.isEmpty { Span("Could not load failures: \(error)", .error) }
            else if state.sync[.failures].lastLoaded == nil && rows.isEmpty { Span("Loading…", .muted) }
            else if rows.isEmpty && state.filters[.failures] != nil { Span("No failure matches the filter (Esc clears it)", .muted) }
            else if rows.isEmpty { Span("No failed or retrying delivery: F goes back to the events", .muted) }
            else { nil }
        return PaneModel(
            pane: .failures, rect: layout.rect(for: .failures), focused: state.focus == .failures, badges: badges,
            position: PaneBuilding.position(cursor.selection, count: rows.count), columns: columns, rows: models,
            selected: visible.contains(cursor.selection) ? cursor.selection - cursor.top : nil, message: message)
    }
}
