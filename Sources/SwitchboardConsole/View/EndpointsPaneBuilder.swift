import SwitchboardCore

/// Pane 1: every endpoint with its state and recent health. `s` switches the pane to the
/// inbound sources (``SourcesPaneBuilder``); a badge says when some source is refusing.
enum EndpointsPaneBuilder {
    static func build(_ state: ConsoleState, layout: Layout) -> PaneModel {
        let glyphs = state.glyphs
        let endpoints = state.visibleEndpoints()
        let cursor = state.cursor(.endpoints)
        let height = layout.listHeight(for: .endpoints)
        var columns = [
            Column(title: "state", width: .fixed(10), priority: 100),
            Column(title: "name", width: .flex(min: 8, weight: 3), priority: 90),
            Column(title: "url", width: .flex(min: 8, weight: 3), priority: 50, truncatesInTheMiddle: true),
            Column(title: "ok%", width: .fixed(5), alignRight: true, priority: 80),
            Column(title: "p50", width: .fixed(6), alignRight: true, priority: 40),
            Column(title: "in-fl", width: .fixed(5), alignRight: true, priority: 20),
            Column(title: "last", width: .fixed(7), priority: 60),
        ]
        let tenants = state.showsTenants
        if tenants { columns.insert(Column(title: "tenant", width: .flex(min: 6, weight: 1), priority: 10), at: 1) }
        let visible = cursor.top..<min(endpoints.count, cursor.top + height)
        let rows: [RowModel] = visible.map { index in
            let endpoint = endpoints[index]
            let health = state.health[endpoint.id]
            var cells = [
                StatusStyle.endpoint(state.status(of: endpoint), glyphs),
                Span(endpoint.name),
                Span(Format.location(of: endpoint.url), .muted),
                health?.successRate.map { Span(Format.percent($0), $0 >= 0.95 ? .ok : $0 >= 0.5 ? .warning : .error) } ?? Span("-", .muted),
                health?.p50Milliseconds.map { Span(Format.duration(milliseconds: $0)) } ?? Span("-", .muted),
                Span(String(health?.inFlight ?? 0), (health?.inFlight ?? 0) > 0 ? .info : .muted),
                StatusStyle.outcome(health?.lastOutcome),
            ]
            if tenants { cells.insert(Span(endpoint.tenantID, .muted), at: 1) }
            return .cells(cells)
        }
        var badges: [Span] = []
        let failing = state.endpoints.filter { state.status(of: $0) == .failing }.count
        if failing > 0 { badges.append(Span("\(failing) failing", .error)) }
        let refusing = state.refusingSourceCount
        if refusing > 0 { badges.append(Span("\(Format.count(refusing, "source")) refusing (s)", .error)) }
        badges.append(Span("by " + state.endpointOrder.word, .muted))
        if let filter = state.filters[.endpoints] { badges.append(Span("/" + filter.text, .key)) }
        let message: Span? =
            if let error = state.loadErrors[.endpoints], endpoints.isEmpty { Span("Could not load endpoints: \(error)", .error) }
            else if state.sync[.endpoints].lastLoaded == nil && state.endpoints.isEmpty { Span("Loading…", .muted) }
            else if state.endpoints.isEmpty { Span("No endpoints yet: create one with POST /v1/endpoints", .muted) }
            else if endpoints.isEmpty { Span("No endpoint matches the filter (Esc clears it)", .muted) }
            else { nil }
        return PaneModel(
            pane: .endpoints, rect: layout.rect(for: .endpoints), focused: state.focus == .endpoints, badges: badges,
            position: PaneBuilding.position(cursor.selection, count: endpoints.count), columns: columns, rows: rows,
            selected: visible.contains(cursor.selection) ? cursor.selection - cursor.top : nil, message: message)
    }
}

/// Helpers shared by the pane builders.
enum PaneBuilding {
    /// `3/40`, or empty with no rows.
    static func position(_ selection: Int, count: Int) -> String {
        count == 0 ? "" : "\(Format.grouped(min(selection + 1, count)))/\(Format.grouped(count))"
    }
}
