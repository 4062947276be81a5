import SwitchboardCore

/// Pane 4: scheduled, pending and paused deliveries, soonest first.
enum RetryPaneBuilder {
    static func build(_ state: ConsoleState, layout: Layout) -> PaneModel {
        guard let open = state.queueEndpoint else { return groups(state, layout: layout) }
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
        var badges: [Span] = [Span(state.endpoint(id: open.endpointID)?.name ?? open.endpointID, .title)]
        badges.append(Span("Esc: all endpoints", .muted))
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

    /// The queue grouped by endpoint, largest first: waiting, paused and scheduled counts
    /// and when the next is due. Enter opens one endpoint's queue.
    static func groups(_ state: ConsoleState, layout: Layout) -> PaneModel {
        let groups = state.visibleQueueGroups()
        let cursor = state.cursor(.retryQueue)
        let height = layout.listHeight(for: .retryQueue)
        let columns = [
            Column(title: "endpoint", width: .flex(min: 8, weight: 2), priority: 100),
            Column(title: "waiting", width: .fixed(7), alignRight: true, priority: 90),
            Column(title: "paused", width: .fixed(7), alignRight: true, priority: 80),
            Column(title: "sched", width: .fixed(7), alignRight: true, priority: 85),
            Column(title: "next due", width: .fixed(9), priority: 70),
            Column(title: "url", width: .flex(min: 8, weight: 2), priority: 30, truncatesInTheMiddle: true),
        ]
        let visible = cursor.top..<min(groups.count, cursor.top + height)
        let rows: [RowModel] = visible.map { index in
            let group = groups[index]
            let due: Span =
                if let next = group.nextDue { Span(Format.countdown(to: next, now: state.now), .warning) }
                else { Span(group.paused > 0 ? "paused" : "-", .paused) }
            return .cells([
                Span(state.endpoint(id: group.endpointID)?.name ?? group.endpointID),
                Span(Format.compact(group.waiting), group.waiting > 0 ? .info : .muted),
                Span(Format.compact(group.paused), group.paused > 0 ? .paused : .muted),
                Span(Format.compact(group.scheduled), group.scheduled > 0 ? .warning : .muted),
                due,
                Span(Format.location(of: group.url), .muted),
            ])
        }
        var badges: [Span] = [Span("by endpoint", .muted)]
        if let gauges = state.gauges {
            badges.append(Span("\(gauges.queueDepth) queued", .muted))
            if gauges.pausedDeliveries > 0 { badges.append(Span("\(gauges.pausedDeliveries) paused", .paused)) }
        }
        if let filter = state.filters[.retryQueue] { badges.append(Span("/" + filter.text, .key)) }
        let message: Span? =
            if let error = state.loadErrors[.queueGroups], groups.isEmpty { Span("Could not load the queue: \(error)", .error) }
            else if state.sync[.queueGroups].lastLoaded == nil && groups.isEmpty { Span("Loading…", .muted) }
            else if groups.isEmpty && state.filters[.retryQueue] != nil { Span("No endpoint matches the filter (Esc clears it)", .muted) }
            else if groups.isEmpty { Span("Nothing waiting: no retry is scheduled", .muted) }
            else { nil }
        return PaneModel(
            pane: .retryQueue, rect: layout.rect(for: .retryQueue), focused: state.focus == .retryQueue, badges: badges,
            position: PaneBuilding.position(cursor.selection, count: groups.count), columns: columns, rows: rows,
            selected: visible.contains(cursor.selection) ? cursor.selection - cursor.top : nil, message: message)
    }

    /// The error class part of a stored error (`timeout: …` → `timeout`).
    private static func shortError(_ error: String) -> String {
        String(error.prefix { $0 != ":" && $0 != " " })
    }
}
