import SwitchboardCore

/// Pane 3: the inspected event's deliveries, one per endpoint, each followed by its attempts.
enum AttemptsPaneBuilder {
    static func build(_ state: ConsoleState, layout: Layout) -> PaneModel {
        let glyphs = state.glyphs
        let rows = state.attemptRows()
        let cursor = state.cursor(.attempts)
        let height = layout.listHeight(for: .attempts)
        // On a cluster each attempt names the node that made it.
        let showsNode = rows.contains { if case .attempt(let attempt) = $0 { attempt.node != nil } else { false } }
        var columns = [
            Column(title: "#", width: .fixed(4), alignRight: true, priority: 100),
            Column(title: "result", width: .flex(min: 9, weight: 1), priority: 100),
            Column(title: "took", width: .fixed(6), alignRight: true, priority: 60),
            Column(title: "at", width: .fixed(8), priority: 70),
            Column(title: "next retry", width: .fixed(10), priority: 50),
        ]
        if showsNode { columns.append(Column(title: "node", width: .fixed(8), priority: 55)) }
        let visible = cursor.top..<min(rows.count, cursor.top + height)
        let models: [RowModel] = visible.map { index in
            switch rows[index] {
            case .delivery(let delivery):
                let endpoint = state.endpoint(id: delivery.endpointID)
                var spans = [
                    Span(endpoint?.name ?? delivery.endpointID, .title), Span(" "),
                    StatusStyle.delivery(delivery.state, glyphs),
                    Span(" \(glyphs.separator) \(Format.count(delivery.attemptCount, "attempt"))", .muted),
                ]
                if delivery.state == .scheduled || delivery.state == .pending, let next = delivery.nextAttemptAt {
                    spans.append(Span(" \(glyphs.separator) next \(Format.countdown(to: next, now: state.now))", .warning))
                }
                if let endpoint { spans.append(Span(" \(glyphs.separator) \(Format.host(of: endpoint.url))", .muted)) }
                return .banner(spans)
            case .attempt(let attempt):
                var result = StatusStyle.attempt(attempt, glyphs)
                if let message = attempt.errorMessage, !message.isEmpty { result.text += ": " + message }
                var cells = [
                    Span("#\(attempt.number)", .muted),
                    result,
                    Span(Format.duration(milliseconds: attempt.durationMilliseconds)),
                    Span(Format.clock(attempt.createdAt, timeZone: state.timeZone), .muted),
                    attempt.nextRetryAt.map { Span(Format.countdown(to: $0, now: state.now), .warning) } ?? Span("-", .muted),
                ]
                if showsNode { cells.append(Span(attempt.node.map(Format.shortNodeID) ?? "-", .muted)) }
                return .cells(cells)
            }
        }
        var badges: [Span] = []
        if let event = state.inspected {
            badges.append(Span(Format.shortID(event.id, ellipsis: glyphs.ellipsis)))
            if let detail = state.inspectedDetail, detail.event.id == event.id {
                badges.append(Span(detail.event.eventType, .muted))
            }
        }
        if let filter = state.filters[.attempts] { badges.append(Span("/" + filter.text, .key)) }
        let loadedDetail = state.inspectedDetail.map { $0.event.id == state.inspected?.id } ?? false
        let message: Span? =
            if state.inspected == nil { Span("Select an event (pane 2) or a retry (pane 4)", .muted) }
            else if let error = state.loadErrors[.eventDetail], !loadedDetail { Span("Could not load: \(error)", .error) }
            else if !loadedDetail { Span("Loading…", .muted) }
            else if rows.isEmpty && state.filters[.attempts] != nil { Span("No delivery matches the filter (Esc clears it)", .muted) }
            else if rows.isEmpty { Span("No deliveries: no endpoint was subscribed", .muted) }
            else { nil }
        return PaneModel(
            pane: .attempts, rect: layout.rect(for: .attempts), focused: state.focus == .attempts, badges: badges,
            position: PaneBuilding.position(cursor.selection, count: rows.count), columns: columns, rows: models,
            selected: visible.contains(cursor.selection) ? cursor.selection - cursor.top : nil, message: message)
    }
}
