import SwitchboardCore

/// Pane 4: scheduled, pending and paused deliveries, soonest first.
enum RetryPaneBuilder {
    static func build(_ state: ConsoleState, layout: Layout) -> PaneModel {
        let glyphs = state.glyphs
        let deliveries = state.visibleRetryQueue()
        let cursor = state.cursor(.retryQueue)
        let height = layout.listHeight(for: .retryQueue)
        let columns = [
            Column(title: "due", width: .fixed(9), priority: 100),
            Column(title: "#", width: .fixed(3), alignRight: true, priority: 70),
            Column(title: "endpoint", width: .flex(min: 8, weight: 2), priority: 90),
            Column(title: "event", width: .upTo(min: 12, ideal: 30), priority: 40, truncatesInTheMiddle: true),
            Column(title: "state", width: .fixed(11), priority: 80),
            Column(title: "last", width: .fixed(7), priority: 60),
        ]
        let visible = cursor.top..<min(deliveries.count, cursor.top + height)
        let rows: [RowModel] = visible.map { index in
            let delivery = deliveries[index]
            let due: Span =
                if delivery.state == .paused { Span("paused", .paused) }
                else if let next = delivery.nextAttemptAt { Span(Format.countdown(to: next, now: state.now), .warning) }
                else { Span("due", .warning) }
            return .cells([
                due,
                Span("\(delivery.attemptCount + 1)", .muted),
                Span(state.endpoint(id: delivery.endpointID)?.name ?? delivery.endpointID),
                Span(delivery.eventID, .muted),
                StatusStyle.delivery(delivery.state, glyphs),
                StatusStyle.outcome(delivery.lastStatusCode.map(String.init) ?? delivery.lastError.map(shortError)),
            ])
        }
        var badges: [Span] = []
        if let gauges = state.gauges {
            badges.append(Span("\(gauges.queueDepth) queued", .muted))
            if gauges.pausedDeliveries > 0 { badges.append(Span("\(gauges.pausedDeliveries) paused", .paused)) }
        }
        if let filter = state.filters[.retryQueue] { badges.append(Span("/" + filter.text, .key)) }
        let message: Span? =
            if let error = state.loadErrors[.retryQueue], deliveries.isEmpty { Span("Could not load the queue: \(error)", .error) }
            else if state.sync[.retryQueue].lastLoaded == nil && deliveries.isEmpty { Span("Loading…", .muted) }
            else if deliveries.isEmpty && state.filters[.retryQueue] != nil { Span("No delivery matches the filter (Esc clears it)", .muted) }
            else if deliveries.isEmpty { Span("Nothing waiting: no retry is scheduled", .muted) }
            else { nil }
        return PaneModel(
            pane: .retryQueue, rect: layout.rect(for: .retryQueue), focused: state.focus == .retryQueue, badges: badges,
            position: PaneBuilding.position(cursor.selection, count: deliveries.count), columns: columns, rows: rows,
            selected: visible.contains(cursor.selection) ? cursor.selection - cursor.top : nil, message: message)
    }

    /// The error class part of a stored error (`timeout: …` → `timeout`).
    private static func shortError(_ error: String) -> String {
        String(error.prefix { $0 != ":" && $0 != " " })
    }
}
