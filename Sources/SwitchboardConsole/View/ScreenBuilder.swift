import SwitchboardCore

/// Builds the ``ScreenModel`` of a state: the pure view function.
enum ScreenBuilder {
    static func build(_ state: ConsoleState) -> ScreenModel {
        let layout = Layout(size: state.size)
        let body: ScreenModel.Body
        var overlay: OverlayModel?
        if layout.arrangement == .tooSmall {
            body = .tooSmall(TooSmallModel(current: state.size, needed: Layout.minimum))
        } else if let detail = state.detail {
            body = .detail(detailModel(detail, state: state, layout: layout))
        } else {
            let panes = layout.visiblePanes(focus: state.focus, paneOne: state.paneOne, paneTwo: state.paneTwo, paneFour: state.paneFour).map { pane(for: $0, state: state, layout: layout) }
            body = .panes(tabs: layout.arrangement == .tabbed ? tabs(state) : nil, panes: panes)
        }
        if layout.arrangement != .tooSmall { overlay = overlayModel(state) }
        return ScreenModel(
            layout: layout, glyphs: state.glyphs, header: header(state), body: body, footer: footer(state), overlay: overlay)
    }

    static func pane(for pane: Pane, state: ConsoleState, layout: Layout) -> PaneModel {
        switch pane {
        case .endpoints: EndpointsPaneBuilder.build(state, layout: layout)
        case .sources: SourcesPaneBuilder.build(state, layout: layout)
        case .events: EventsPaneBuilder.build(state, layout: layout)
        case .attempts: AttemptsPaneBuilder.build(state, layout: layout)
        case .retryQueue: RetryPaneBuilder.build(state, layout: layout)
        case .failures: FailuresPaneBuilder.build(state, layout: layout)
        case .logs: LogPaneBuilder.build(state, layout: layout)
        }
    }

    // MARK: Header

    /// `nodes 3: n-a1b2* 0.4s 12 · n-c3d4 1.1s 3`: each node's id (`*` the leader), heartbeat
    /// age and deliveries in flight; a node silent for over 10 s is marked stale.
    static func nodesSegment(_ nodes: [ClusterNodeInfo], _ state: ConsoleState) -> HeaderModel.Segment {
        var spans = [Span(" nodes \(nodes.count):", .header)]
        for (index, node) in nodes.enumerated() {
            let age = max(0, state.now.timeIntervalSince(node.lastSeenAt))
            let ageText = age < 10 ? String(format: "%.1fs", age) : Format.ago(node.lastSeenAt, now: state.now)
            spans.append(Span(index == 0 ? " " : " · ", .header))
            spans.append(Span("\(Format.shortNodeID(node.id))\(node.leader ? "*" : "") \(ageText) \(node.inFlight)", age > 10 ? .badge : .header))
        }
        return .init(spans: spans, priority: 58)
    }

    static func header(_ state: ConsoleState) -> HeaderModel {
        let rates = state.rates.rates(at: state.now)
        var left = [HeaderModel.Segment(spans: [Span(" switchboard ", .brand)], priority: 100)]
        if state.devMode { left.append(.init(spans: [Span(" DEV ", .badge)], priority: 96)) }
        if state.readOnly { left.append(.init(spans: [Span(" READ-ONLY ", .badge)], priority: 95)) }
        if let session = state.session {
            let version = session.serverVersion.isEmpty ? "" : " v" + session.serverVersion
            switch session.connection {
            case .live:
                left.append(.init(spans: [Span(" \(session.attached ? "attached " + session.target : session.target)\(version)", .header)], priority: session.attached ? 92 : 35))
            case .connecting(let attempt):
                left.append(.init(spans: [Span(" CONNECTING #\(attempt) ", .badge), Span(" " + session.target, .header)], priority: 97))
            case .lost(let reason, let since):
                left.append(.init(spans: [Span(" LOST \(Format.ago(since, now: state.now)) ", .badge), Span(" \(reason)", .header)], priority: 97))
            }
        }
        if let nodes = state.clusterNodes, !nodes.isEmpty { left.append(nodesSegment(nodes, state)) }
        if !state.listenAddress.isEmpty { left.append(.init(spans: [Span(" " + state.listenAddress, .header)], priority: 60)) }
        if !state.storeDescription.isEmpty { left.append(.init(spans: [Span(" " + state.storeDescription, .header)], priority: 30)) }
        left.append(.init(spans: [Span(" ev/s " + Format.rate(rates.events), .header)], priority: 90))
        left.append(.init(spans: [Span(" att/s " + Format.rate(rates.attempts), .header)], priority: 85))
        if let gauges = state.gauges {
            left.append(.init(spans: [Span(" queue \(gauges.queueDepth)", .header)], priority: 80))
            if gauges.pausedDeliveries > 0 { left.append(.init(spans: [Span(" paused \(gauges.pausedDeliveries)", .header)], priority: 40)) }
            left.append(.init(spans: [Span(" disabled \(gauges.disabledEndpoints)", gauges.disabledEndpoints > 0 ? .badge : .header)], priority: 75))
        }
        if state.droppedChanges > 0 { left.append(.init(spans: [Span(" resynced", .header)], priority: 20)) }
        return HeaderModel(left: left, right: [Span(Format.clock(state.now, timeZone: state.timeZone) + " ", .header)])
    }

    // MARK: Tabs

    static func tabs(_ state: ConsoleState) -> [TabModel] {
        state.panes.map { pane in
            var badge: String?
            if pane == .events && !state.events.following && state.events.unseen > 0 { badge = "+\(state.events.unseen)" }
            if pane == .endpoints {
                let failing = state.endpoints.filter { state.status(of: $0) == .failing }.count
                if failing > 0 { badge = "\(state.glyphs.failing)\(failing)" }
            }
            if pane == .sources {
                let refusing = state.refusingSourceCount
                if refusing > 0 { badge = "\(state.glyphs.failed)\(refusing)" }
            }
            return TabModel(pane: pane, label: "\(pane.number) \(pane.title)", badge: badge, focused: pane == state.focus)
        }
    }

    // MARK: Detail

    static func detailModel(_ detail: DetailState, state: ConsoleState, layout: Layout) -> DetailModel {
        let lines = DetailContent.lines(for: detail.target, state: state, width: layout.detailTextWidth)
        let height = layout.detailTextHeight
        let start = max(0, min(detail.scroll, lines.count))
        let visible = Array(lines[start..<min(lines.count, start + height)])
        let position = lines.count <= height ? "" : "\(start + 1)-\(start + visible.count)/\(lines.count)"
        return DetailModel(title: DetailContent.title(for: detail.target, state: state), lines: visible, position: position)
    }

    // MARK: Footer

    static func footer(_ state: ConsoleState) -> FooterModel {
        switch state.modal {
        case .filter(let prompt):
            let hint = prompt.pane == .events
                ? "  type: status:failed|retrying|partial endpoint: source: since:15m until: text, or an id  \(state.glyphs.enter) keep  Esc clear"
                : "  status: endpoint: text  \(state.glyphs.enter) keep  Esc clear"
            let errors = FilterQuery(prompt.text).errors(in: prompt.pane)
            return .prompt(label: "/", text: prompt.text, hint: hint, error: errors.isEmpty ? nil : errors.joined(separator: "; "))
        case .confirm(let confirmation):
            var hints = [KeyHint(key: confirmation.armed ? state.glyphs.enter : "y", label: confirmation.armed ? "confirm" : "then \(state.glyphs.enter) to confirm"), KeyHint(key: "n Esc", label: "cancel")]
            if confirmation.options.count > 1 { hints.insert(KeyHint(key: "1-\(confirmation.options.count) j/k", label: "choose"), at: 0) }
            return .hints(hints)
        case .typedConfirm:
            return .hints([KeyHint(key: state.glyphs.enter, label: "confirm"), KeyHint(key: "Esc", label: "cancel")])
        case .secret:
            return .hints([KeyHint(key: "\(state.glyphs.enter) Esc", label: "close (the secret is not shown again)")])
        case .adminKey:
            return .hints([KeyHint(key: "y", label: "copy"), KeyHint(key: "\(state.glyphs.enter) Esc", label: "dismiss (it is not shown again)")])
        case .recover(let prompt):
            return .hints([KeyHint(key: state.glyphs.enter, label: prompt.since == nil ? "next" : "recover"), KeyHint(key: "Esc", label: "cancel")])
        case .help:
            return .hints([KeyHint(key: "j/k PgDn/PgUp", label: "scroll"), KeyHint(key: "any other key", label: "close help")])
        case nil:
            if let flash = state.flash { return .flash(flash.message, flash.kind) }
            return .hints(KeyBindings.footer(for: state))
        }
    }

    // MARK: Overlay

    /// A confirmation's text: its lines, the options (the selected one marked, with its
    /// endpoints), then what to press.
    static func confirmLines(_ confirmation: Confirmation, _ state: ConsoleState) -> [[Span]] {
        var lines = confirmation.lines.map { [Span($0, .modal)] }
        let several = confirmation.options.count > 1
        for (index, option) in confirmation.options.enumerated() {
            let selected = index == confirmation.selected
            if several || !option.lines.isEmpty { lines.append([]) }
            if several {
                let marker = selected ? "> " : "  "
                lines.append([Span("\(marker)\(index + 1) ", .key), Span(option.label + (index == 0 ? " (default)" : ""), selected ? .titleFocused : .modal)])
            } else if !option.lines.isEmpty {
                lines.append([Span(option.label + ":", .modal)])
            }
            if selected || !several { lines += option.lines.map { [Span("  " + $0, .modal)] } }
        }
        lines.append([])
        let verb = confirmation.action.verb
        if confirmation.armed {
            lines.append([Span("Press \(state.glyphs.enter) to confirm the \(verb), Esc to cancel.", .key)])
        } else {
            lines.append([Span("Press y then \(state.glyphs.enter) to confirm the \(verb); Esc cancels.", .modal)])
        }
        return lines
    }

    static func overlayModel(_ state: ConsoleState) -> OverlayModel? {
        switch state.modal {
        case .help(let scroll):
            return .help(title: "Keys", sections: KeyBindings.help(for: state), scroll: scroll)
        case .confirm(let confirmation):
            return .dialog(DialogModel(title: confirmation.title, lines: confirmLines(confirmation, state)))
        case .typedConfirm(let confirmation):
            return .dialog(
                DialogModel(
                    title: confirmation.title, lines: confirmation.lines.map { [Span($0, .modal)] }, input: confirmation.typed,
                    error: confirmation.mismatch ? "That is not the endpoint's name; type it exactly." : nil))
        case .secret(let reveal):
            return .dialog(
                DialogModel(
                    title: "New secret",
                    lines: [
                        [Span("The new secret of \(reveal.endpointName) (\(reveal.endpointID)):", .modal)],
                        [],
                        [Span(reveal.secret.reveal(), .secret)],
                        [],
                        [Span("Copy it now: it is shown only this once.", .modal)],
                        [Span(reveal.graceNote.prefix(1).uppercased() + reveal.graceNote.dropFirst() + ".", .muted)],
                    ]))
        case .adminKey(let panel):
            var lines: [[Span]] = [
                [Span("This first start created an admin API key (every scope):", .modal)], [],
                [Span(panel.key, .secret)], [],
            ]
            if let file = panel.file { lines.append([Span("It is also in \(file) (mode 0600, readable only by you).", .modal)]) }
            lines.append([Span("Use it as: Authorization: Bearer <key>. Create narrower keys with switchboard keys create.", .muted)])
            return .dialog(DialogModel(title: "Admin key", lines: lines))
        case .recover(let prompt):
            var lines = [[Span("Requeue every failed delivery of \(prompt.name) (\(prompt.endpointID))", .modal)]]
            if let since = prompt.since {
                lines += [
                    [Span("since \(Format.timestamp(since, timeZone: state.timeZone)) (\(Format.ago(since, now: state.now))).", .modal)], [],
                    [Span("Type the endpoint's name to confirm (Esc cancels):", .modal)],
                ]
            } else {
                lines += [[Span("that failed since when? 15m, 2h, 3d or 2026-12-01T10:00:", .modal)]]
            }
            return .dialog(DialogModel(title: "Recover failed deliveries", lines: lines, input: prompt.since == nil ? prompt.sinceText : prompt.typedName, error: prompt.error))
        case .filter, nil:
            return nil
        }
    }
}
