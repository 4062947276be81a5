import SwitchboardCore

/// Focus, selection, scrolling and the events window.
extension Reducer {
    static func focus(_ pane: Pane, _ state: inout ConsoleState) -> [Effect] {
        if pane.isPaneOne { state.paneOne = pane }
        if pane == .events || pane == .failures { state.paneTwo = pane }
        if pane == .retryQueue || pane == .logs { state.paneFour = pane }
        state.focus = pane
        if pane == .events || pane == .retryQueue || pane == .failures { state.inspectionSource = pane }
        return refreshInspected(&state)
    }

    /// The pane `Tab` (`delta` 1) or `Shift-Tab` (`delta` -1) moves to from `pane`.
    static func neighbour(of pane: Pane, by delta: Int, _ state: ConsoleState) -> Pane {
        let panes = state.panes
        guard let index = panes.firstIndex(of: pane) else { return .events }
        return panes[(index + delta + panes.count) % panes.count]
    }

    /// `s`: show and focus the sources in pane 1, or, from the sources, the endpoints again.
    static func toggleSources(_ state: inout ConsoleState) -> [Effect] {
        focus(state.focus == .sources ? .endpoints : .sources, &state)
    }

    static func move(_ pane: Pane, by delta: Int, _ state: inout ConsoleState) -> [Effect] {
        select(pane, index: state.cursor(pane).selection + delta, &state)
    }

    /// Selects row `index` of `pane` (clamped to its rows), scrolls it into view and loads
    /// what the new selection needs. Moving off the newest event freezes the events pane.
    static func select(_ pane: Pane, index: Int, _ state: inout ConsoleState) -> [Effect] {
        let count = state.rowCount(pane)
        guard count > 0 else { return [] }
        let target = min(max(0, index), count - 1)
        if pane == .events && state.events.following && target != 0 {
            state.events.following = false
            state.events.unseen = 0
        }
        var cursor = state.cursor(pane)
        cursor.selection = target
        cursor.selectedID = state.rowID(pane, at: target)
        state.cursors[pane] = scrolled(cursor, count: count, height: Layout(size: state.size).listHeight(for: pane))
        var effects: [Effect] = []
        if pane == .events { effects += ensureEventsWindow(&state) }
        if pane == .attempts { return effects }
        return effects + refreshInspected(&state)
    }

    /// `cursor` with ``ListCursor/top`` moved as little as needed to show the selection.
    static func scrolled(_ cursor: ListCursor, count: Int, height: Int) -> ListCursor {
        var cursor = cursor
        let height = max(1, height)
        if cursor.selection < cursor.top { cursor.top = cursor.selection }
        if cursor.selection >= cursor.top + height { cursor.top = cursor.selection - height + 1 }
        cursor.top = max(0, min(cursor.top, count - height))
        return cursor
    }

    /// Keeps each pane's selection on the same row (by id) after its rows changed, or
    /// within bounds when that row is gone.
    static func reanchor(_ pane: Pane, _ state: inout ConsoleState) {
        var cursor = state.cursor(pane)
        let count = state.rowCount(pane)
        if pane == .events && state.events.following {
            cursor.selection = 0
        } else if let id = cursor.selectedID, let index = state.rowIndex(pane, id: id) {
            cursor.selection = index
        }
        cursor.selection = max(0, min(cursor.selection, count - 1))
        if let id = state.rowID(pane, at: cursor.selection) { cursor.selectedID = id }
        state.cursors[pane] = scrolled(cursor, count: count, height: Layout(size: state.size).listHeight(for: pane))
    }

    static func reanchorAll(_ state: inout ConsoleState) {
        for pane in Pane.allCases { reanchor(pane, &state) }
    }

    // MARK: Events window

    /// Asks for a window of events around the selection when the rows to show are not
    /// loaded or the selection nears the edge of the loaded window.
    static func ensureEventsWindow(_ state: inout ConsoleState) -> [Effect] {
        guard state.events.loaded else { return [] }
        let events = state.events
        let cursor = state.cursor(.events)
        let height = Layout(size: state.size).listHeight(for: .events)
        let needStart = cursor.top, needEnd = min(events.total, cursor.top + height)
        let windowEnd = events.windowStart + events.rows.count
        let margin = 10
        let covered = needStart >= events.windowStart && needEnd <= windowEnd
        let nearStart = events.windowStart > 0 && needStart - events.windowStart < margin
        let nearEnd = windowEnd < events.total && windowEnd - needEnd < margin
        guard !covered || nearStart || nearEnd else { return [] }
        let half = EventsState.windowLimit / 2
        let offset = max(0, min(cursor.selection - half, events.total - EventsState.windowLimit))
        // The same window again would bring the same rows (a short answer): the periodic
        // resync refreshes it instead.
        if offset == events.windowStart && !events.rows.isEmpty { return [] }
        return requestEvents(paneOffset: offset, &state)
    }

    /// Requests the window starting at pane row `paneOffset`, or remembers it for when the
    /// load under way finishes (window loads never overlap).
    static func requestEvents(paneOffset: Int, _ state: inout ConsoleState) -> [Effect] {
        if state.sync[.events].loading {
            state.events.pendingOffset = paneOffset
            return []
        }
        state.events.pendingOffset = nil
        state.events.latestRequestID += 1
        let filter = state.filter(.events)
        let range = filter.timeRange(now: state.now, timeZone: state.timeZone)
        let request = EventsWindowRequest(
            id: state.events.latestRequestID, paneOffset: paneOffset,
            storeOffset: paneOffset + (state.events.following ? 0 : state.events.unseen),
            limit: EventsState.windowLimit, eventType: filter.eventType, deliveryStatus: filter.deliveryStatus,
            endpointID: resolvedEndpointID(filter, state), sourceID: resolvedSourceID(filter, state),
            since: range.since, until: range.until, text: filter.storeText, timeTerms: filter.timeTerms)
        state.sync.started(.events)
        return [.load(.events(request))]
    }

    /// The endpoint id an `endpoint:` filter names: an id, an exact name, or a name containing it.
    static func resolvedEndpointID(_ filter: FilterQuery, _ state: ConsoleState) -> String? {
        guard let wanted = filter.endpoint else { return nil }
        if let match = state.endpoints.first(where: { $0.id.lowercased() == wanted || $0.name.lowercased() == wanted }) {
            return match.id
        }
        return state.endpoints.first { $0.name.lowercased().contains(wanted) }?.id ?? wanted
    }

    /// The source id a `source:` filter names: an id, an exact name, or a name containing it.
    static func resolvedSourceID(_ filter: FilterQuery, _ state: ConsoleState) -> String? {
        guard let wanted = filter.source else { return nil }
        if let match = state.sources.first(where: { $0.id.lowercased() == wanted || $0.name.lowercased() == wanted }) {
            return match.id
        }
        return state.sources.first { $0.name.lowercased().contains(wanted) }?.id ?? wanted
    }

    /// Whether a window answer was asked with the events filter now in force.
    static func matchesCurrentFilter(_ request: EventsWindowRequest, _ state: ConsoleState) -> Bool {
        request.filterKey == eventsFilterKey(state.filter(.events), state)
    }

    /// The store-side key of an events filter (every part of it but an id to jump to).
    static func eventsFilterKey(_ filter: FilterQuery, _ state: ConsoleState) -> EventsFilterKey {
        EventsFilterKey(
            eventType: filter.eventType, deliveryStatus: filter.deliveryStatus, endpointID: resolvedEndpointID(filter, state),
            sourceID: resolvedSourceID(filter, state), timeTerms: filter.timeTerms, text: filter.storeText)
    }

    /// `f`: freeze the events pane, or follow again from the newest event.
    static func toggleFollow(_ state: inout ConsoleState) -> [Effect] {
        if state.events.following {
            state.events.following = false
            state.events.unseen = 0
            return []
        }
        state.events.following = true
        state.events.unseen = 0
        state.cursors[.events] = ListCursor(selection: 0, top: 0, selectedID: nil)
        var effects = requestEvents(paneOffset: 0, &state)
        reanchor(.events, &state)
        effects += refreshInspected(&state)
        return effects
    }

    // MARK: Inspected event

    /// Points the attempts pane at the event selected in the events or retry pane, and
    /// loads its deliveries and attempts. Left alone while the operator works in the
    /// attempts pane or a detail view.
    static func refreshInspected(_ state: inout ConsoleState) -> [Effect] {
        guard state.focus != .attempts, state.detail == nil else { return [] }
        let wanted: EventRef?
        switch state.inspectionSource {
        case .retryQueue:
            wanted = state.selectedRetryDelivery.map { EventRef(id: $0.eventID, tenantID: $0.tenantID) }
        case .failures:
            wanted = state.selectedFailure.map { EventRef(id: $0.delivery.eventID, tenantID: $0.delivery.tenantID) }
        default:
            wanted = state.selectedEvent.map { EventRef(id: $0.id, tenantID: $0.tenantID) }
        }
        guard let wanted, wanted != state.inspected else { return [] }
        return inspect(wanted, &state)
    }

    static func inspect(_ event: EventRef, _ state: inout ConsoleState) -> [Effect] {
        state.inspected = event
        state.cursors[.attempts] = ListCursor()
        return loadInspectedDetail(&state)
    }

    static func loadInspectedDetail(_ state: inout ConsoleState) -> [Effect] {
        guard let event = state.inspected else { return [] }
        if state.sync[.eventDetail].loading {
            state.sync.markDirty(.eventDetail)
            return []
        }
        state.sync.started(.eventDetail)
        return [.load(.eventDetail(event))]
    }

    /// Enter on an endpoint: the events pane, filtered to the events delivered to it.
    static func openEndpointEvents(_ state: inout ConsoleState) -> [Effect] {
        guard let endpoint = state.selectedEndpoint else { return [] }
        var effects = focus(.events, &state)
        effects += setFilter("endpoint:\(endpoint.id)", for: .events, &state)
        flash("Events delivered to \(endpoint.name) (Esc clears the filter; e in pane 1 shows its settings)", .info, &state)
        return effects
    }

    /// Enter on a retry-queue group: that endpoint's waiting deliveries, soonest first.
    static func openQueue(of group: QueueGroup, _ state: inout ConsoleState) -> [Effect] {
        state.queueEndpoint = group
        state.retryQueue = []
        state.cursors[.retryQueue] = ListCursor()
        state.sync.started(.retryQueue)
        return [.load(.retryQueue(endpointID: group.endpointID, tenantID: group.tenantID, limit: retryQueueLimit))]
    }

    /// Esc in one endpoint's queue: back to the groups, on that endpoint.
    static func closeQueue(_ state: inout ConsoleState) -> [Effect] {
        guard let group = state.queueEndpoint else { return [] }
        state.queueEndpoint = nil
        state.retryQueue = []
        state.cursors[.retryQueue] = ListCursor(selection: 0, top: 0, selectedID: group.endpointID)
        reanchor(.retryQueue, &state)
        return []
    }

    /// `F` shows failures in pane 2 (or events again); `l` the log in pane 4 (or the queue).
    static func toggleView(_ view: Pane, instead other: Pane, _ state: inout ConsoleState) -> [Effect] {
        let showing = view == .failures ? state.paneTwo : state.paneFour
        let target = showing == view ? other : view
        var effects = focus(target, &state)
        let kind: DataKind? = target == .failures ? .failures : target == .logs ? .logs : nil
        if let kind, !state.sync[kind].loading {
            state.sync.started(kind)
            effects.append(.load(kind == .failures ? .failures(limit: failuresLimit) : .logs(limit: logLimit)))
        }
        return effects
    }

    // MARK: Detail view

    static func openDetail(_ state: inout ConsoleState) -> [Effect] {
        let target: DetailTarget
        switch state.focus {
        case .endpoints:
            guard let endpoint = state.selectedEndpoint else { return [] }
            target = .endpoint(id: endpoint.id)
        case .sources:
            guard let source = state.selectedSource else { return [] }
            target = .source(id: source.id)
        case .events:
            guard let event = state.selectedEvent else { return [] }
            target = .event(EventRef(id: event.id, tenantID: event.tenantID))
        case .attempts:
            let rows = state.attemptRows()
            let index = state.cursor(.attempts).selection
            guard rows.indices.contains(index), let event = state.inspected else { return [] }
            switch rows[index] {
            case .delivery(let delivery): target = .delivery(id: delivery.id, event: event)
            case .attempt(let attempt): target = .attempt(id: attempt.id, event: event)
            }
        case .retryQueue:
            if let group = state.selectedQueueGroup { return openQueue(of: group, &state) }
            guard let delivery = state.selectedRetryDelivery else { return [] }
            target = .delivery(id: delivery.id, event: EventRef(id: delivery.eventID, tenantID: delivery.tenantID))
        case .failures:
            guard let row = state.selectedFailure else { return [] }
            target = .delivery(id: row.delivery.id, event: EventRef(id: row.delivery.eventID, tenantID: row.delivery.tenantID))
        case .logs:
            return []
        }
        var effects: [Effect] = []
        if let event = target.event, event != state.inspected { effects = inspect(event, &state) }
        state.detail = DetailState(target: target)
        return effects
    }

    static func scrollDetail(by delta: Int, _ state: inout ConsoleState) {
        guard var detail = state.detail else { return }
        detail.scroll = detail.scroll.addingReportingOverflow(delta).partialValue
        state.detail = detail
        clampDetailScroll(&state)
    }

    static func clampDetailScroll(_ state: inout ConsoleState) {
        guard var detail = state.detail else { return }
        let layout = Layout(size: state.size)
        let lines = DetailContent.lines(for: detail.target, state: state, width: layout.detailTextWidth).count
        detail.scroll = max(0, min(detail.scroll, lines - layout.detailTextHeight))
        state.detail = detail
    }
}
