import SwitchboardCore

/// Pane 1's second view (`s`): every inbound source with its provider, traffic and the
/// reason its last refused request was refused. The `none` provider reads `UNVERIFIED`.
enum SourcesPaneBuilder {
    static func build(_ state: ConsoleState, layout: Layout) -> PaneModel {
        let glyphs = state.glyphs
        let sources = state.visibleSources()
        let cursor = state.cursor(.sources)
        let height = layout.listHeight(for: .sources)
        var columns = [
            Column(title: "provider", width: .fixed(14), priority: 100),
            Column(title: "name", width: .flex(min: 8, weight: 3), priority: 90),
            Column(title: "recv", width: .fixed(6), alignRight: true, priority: 80),
            Column(title: "rej", width: .fixed(5), alignRight: true, priority: 85),
            Column(title: "last", width: .fixed(6), priority: 60),
            Column(title: "last refusal", width: .flex(min: 16, weight: 4), priority: 30),
        ]
        let tenants = state.showsTenants
        if tenants { columns.insert(Column(title: "tenant", width: .flex(min: 6, weight: 1), priority: 10), at: 1) }
        let visible = cursor.top..<min(sources.count, cursor.top + height)
        let rows: [RowModel] = visible.map { index in
            let source = sources[index]
            let refusing = SourceStatus.isRefusing(source)
            var cells = [
                provider(source, glyphs),
                Span(source.name),
                Span(Format.compact(source.eventsReceived), source.eventsReceived > 0 ? .plain : .muted),
                Span(Format.compact(source.rejectedCount), source.rejectedCount > 0 ? .error : .muted),
                source.lastReceivedAt.map { Span(Format.span(state.now.timeIntervalSince($0)), .muted) } ?? Span("-", .muted),
                source.lastRejectionReason.map { Span($0, refusing ? .error : .muted) } ?? Span("-", .muted),
            ]
            if tenants { cells.insert(Span(source.tenantID, .muted), at: 1) }
            return .cells(cells)
        }
        return PaneModel(
            pane: .sources, rect: layout.rect(for: .sources), focused: state.focus == .sources, badges: badges(state),
            position: PaneBuilding.position(cursor.selection, count: sources.count), columns: columns, rows: rows,
            selected: visible.contains(cursor.selection) ? cursor.selection - cursor.top : nil, message: message(state, shown: sources.count),
            summary: state.selectedSource.map { summary($0, state, width: layout.rect(for: .sources).width - 4) } ?? [])
    }

    /// Most summary lines under the list.
    static let summaryLimit = 5

    /// The selected source under the list, when there is room: its ingest URL, why its last
    /// refused request was refused, and warnings (unverified, old secret still accepted).
    static func summary(_ source: Source, _ state: ConsoleState, width: Int) -> [[Span]] {
        guard width > 0 else { return [] }
        let glyphs = state.glyphs
        var lines: [[Span]] = []
        func add(_ spans: [Span]) { lines += SpanWrap.wrap(spans, width: width, indent: 2) }
        let provider = source.provider == .none ? "none (\(SourceText.provider(.none)))" : source.provider.rawValue
        add([Span(source.name, .title), Span(" \(glyphs.separator) \(provider) \(glyphs.separator) \(state.glyphs.enter) details", .muted)])
        lines += SpanWrap.wrap([Span(source.ingestURL(base: state.ingestBaseURL), .info)], width: width)
        if let at = source.lastRejectedAt {
            let refusing = SourceStatus.isRefusing(source)
            add([
                Span("refused \(Format.ago(at, now: state.now)): ", refusing ? .error : .muted),
                Span(source.lastRejectionReason ?? "no reason recorded", refusing ? .error : .warning),
            ])
        } else {
            add([Span("no request refused", .muted)])
        }
        if source.provider == .none {
            add([Span("\(glyphs.failing) accepts any request: nothing is verified", .warning)])
        }
        if let expiry = source.previousSecretExpiresAt, expiry > state.now {
            add([Span("old secret still accepted \(Format.countdown(to: expiry, now: state.now))", .warning)])
        }
        return Array(lines.prefix(summaryLimit))
    }

    /// The provider column: `▲ UNVERIFIED` for `none`, else a glyph saying whether the last
    /// request was refused (`✗`) or accepted (`●`), and the provider.
    static func provider(_ source: Source, _ glyphs: Glyphs) -> Span {
        if source.provider == .none { return Span("\(glyphs.failing) \(SourceText.provider(.none))", .warning) }
        let text = SourceText.provider(source.provider)
        return SourceStatus.isRefusing(source) ? Span("\(glyphs.failed) \(text)", .error) : Span("\(glyphs.active) \(text)", .ok)
    }

    private static func badges(_ state: ConsoleState) -> [Span] {
        var badges: [Span] = []
        let refusing = state.refusingSourceCount
        if refusing > 0 { badges.append(Span("\(refusing) refusing", .error)) }
        let unverified = state.sources.filter { $0.provider == .none }.count
        if unverified > 0 { badges.append(Span("\(unverified) unverified", .warning)) }
        if let filter = state.filters[.sources] { badges.append(Span("/" + filter.text, .key)) }
        return badges
    }

    private static func message(_ state: ConsoleState, shown: Int) -> Span? {
        if let error = state.loadErrors[.sources], shown == 0 { return Span("Could not load sources: \(error)", .error) }
        if state.sync[.sources].lastLoaded == nil && state.sources.isEmpty { return Span("Loading…", .muted) }
        if state.sources.isEmpty { return Span("No sources yet: create one with POST /v1/sources (s shows the endpoints)", .muted) }
        if shown == 0 { return Span("No source matches the filter (Esc clears it)", .muted) }
        return nil
    }
}
