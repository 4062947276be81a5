import SwitchboardCore

/// Pane 2: the live event stream, newest first.
enum EventsPaneBuilder {
    static func build(_ state: ConsoleState, layout: Layout) -> PaneModel {
        let glyphs = state.glyphs
        let listing = state.eventsListing()
        let cursor = state.cursor(.events)
        let height = layout.listHeight(for: .events)
        var columns = [
            Column(title: "time", width: .fixed(8), priority: 70),
            Column(title: "id", width: .upTo(min: 12, ideal: 30), priority: 75, truncatesInTheMiddle: true),
            Column(title: "type", width: .flex(min: 10, weight: 3), priority: 100),
            Column(title: "status", width: .fixed(state.events.rows.contains { state.tallies[$0.id]?.retry != nil } ? 17 : 11), priority: 90),
            Column(title: "ok", width: .fixed(5), alignRight: true, priority: 80),
        ]
        let tenants = state.showsTenants
        if tenants { columns.insert(Column(title: "tenant", width: .flex(min: 6, weight: 1), priority: 10), at: 2) }
        // Where events came from, once some came through a source: its name, else the origin.
        let origins = state.events.rows.contains { $0.sourceID != nil }
        if origins { columns.insert(Column(title: "from", width: .flex(min: 6, weight: 1), priority: 15), at: columns.count - 2) }
        let visible = cursor.top..<min(listing.count, cursor.top + height)
        let rows: [RowModel] = visible.map { index in
            guard let event = listing.event(at: index) else { return .banner([Span("  " + glyphs.ellipsis, .muted)]) }
            var cells = [
                Span(Format.clock(event.createdAt, timeZone: state.timeZone), .muted),
                Span(event.id),
                Span(event.eventType),
                status(event, state),
                tally(state.tallies[event.id], glyphs),
            ]
            if tenants { cells.insert(Span(event.tenantID, .muted), at: 2) }
            if origins { cells.insert(origin(event, state), at: cells.count - 2) }
            return .cells(cells)
        }
        var badges: [Span] = []
        if state.events.following {
            badges.append(Span("\(glyphs.following) following", .ok))
        } else {
            badges.append(Span("\(glyphs.frozen) frozen", .warning))
            if state.events.unseen > 0 { badges.append(Span("+\(state.events.unseen) new", .badge)) }
        }
        if let filter = state.filters[.events] {
            badges.append(Span("/" + filter.text, .key))
            if state.events.loaded { badges.append(Span(Format.count(listing.count, "match").replacingOccurrences(of: "matchs", with: "matches"), .info)) }
        }
        let message: Span? =
            if let error = state.loadErrors[.events], listing.count == 0 { Span("Could not load events: \(error)", .error) }
            else if !state.events.loaded && listing.count == 0 { Span("Loading…", .muted) }
            else if listing.count == 0 && state.filters[.events] != nil { Span("No event matches the filter (Esc clears it)", .muted) }
            else if listing.count == 0 { Span("No events yet: publish one with POST /v1/events", .muted) }
            else { nil }
        return PaneModel(
            pane: .events, rect: layout.rect(for: .events), focused: state.focus == .events, badges: badges,
            position: PaneBuilding.position(cursor.selection, count: listing.count), columns: columns, rows: rows,
            selected: visible.contains(cursor.selection) ? cursor.selection - cursor.top : nil, message: message)
    }

    /// The source's name for an ingested event, else its origin (`api`, `direct`, `replay`).
    private static func origin(_ event: Event, _ state: ConsoleState) -> Span {
        guard let id = event.sourceID else { return Span(event.origin.rawValue, .muted) }
        return Span(state.source(id: id)?.name ?? Format.shortID(id, ellipsis: state.glyphs.ellipsis))
    }

    /// The event's status; a QUEUED event whose delivery is scheduled again after a failed
    /// attempt reads `↺ RETRY #3 4m12s` (attempt 3 is next, in 4m12s), distinct from a new QUEUED event.
    static func status(_ event: Event, _ state: ConsoleState) -> Span {
        if event.status == .queued, let retry = state.tallies[event.id]?.retry {
            let next = retry.next.map { " " + Format.countdown(to: $0, now: state.now).replacingOccurrences(of: "in ", with: "") } ?? ""
            return Span("\(state.glyphs.retrying) RETRY #\(retry.attempt + 1)\(next)", .warning)
        }
        return StatusStyle.event(event.status, state.glyphs)
    }

    /// "ok/total" deliveries: green when all succeeded, red when some failed.
    private static func tally(_ tally: DeliveryTally?, _ glyphs: Glyphs) -> Span {
        guard let tally else { return Span(glyphs.ellipsis, .muted) }
        let text = "\(tally.succeeded)/\(tally.total)"
        if tally.failed > 0 { return Span(text, .error) }
        if tally.succeeded == tally.total { return Span(text, .ok) }
        return Span(text, .plain)
    }
}
