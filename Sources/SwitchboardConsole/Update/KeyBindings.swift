/// What a key does, independent of which key it is.
enum KeyAction: String, Sendable, Hashable, CaseIterable {
    case quit, forceQuit, help, nextPane, focusPane, toggleSources
    case down, up, top, bottom, pageDown, pageUp, halfPageDown, halfPageUp
    case open, back, clearFilter, filter, follow
    case replayOrRetryFailed, retryDelivery, pauseResume, recover, rotateSecret
    case cycleOrder, endpointSettings, copyID, failures, logs, suspend
}

/// Where a binding applies.
enum BindingScope: Sendable, Hashable {
    /// In every list pane (no modal, no detail view).
    case lists
    /// Only while one of these panes has the focus.
    case panes(Set<Pane>)
    /// In a detail view.
    case detail
    /// In the list panes and in a detail view.
    case everywhere

    func applies(focus: Pane, inDetail: Bool) -> Bool {
        switch self {
        case .lists: !inDetail
        case .panes(let panes): !inDetail && panes.contains(focus)
        case .detail: inDetail
        case .everywhere: true
        }
    }

    /// How specific the scope is: a pane's own binding wins over a general one.
    var specificity: Int {
        switch self {
        case .panes: 2
        case .detail: 2
        case .lists: 1
        case .everywhere: 0
        }
    }
}

/// One key binding: the keys, what they do, how help and the footer name it, where it
/// applies, and whether it changes the dispatcher (hidden and refused in read-only mode).
///
/// ``KeyBindings/all`` is the only place keys are described: the reducer dispatches through
/// it, and the footer, the help overlay and read-only filtering read it.
struct KeyBinding: Sendable {
    var keys: [Key]
    var action: KeyAction
    /// What the key does, for the help overlay.
    var label: String
    var scope: BindingScope
    /// Whether it changes the dispatcher's state (replay, retry, pause, recover, rotate).
    var mutates: Bool = false
    /// Footer priority (higher stays longer on a narrow footer); nil keeps it out of the footer.
    var footerPriority: Int?
    /// The footer's short label, when it depends on the state (`freeze` / `follow`).
    var footerLabel: @Sendable (ConsoleState) -> String? = { _ in nil }
    /// How help shows the keys when the default (each key's name) is too long.
    var keyText: String?

    /// The keys as help and the footer show them.
    func keyDisplay(_ glyphs: Glyphs) -> String {
        keyText ?? keys.map { $0.display(glyphs) }.joined(separator: " ")
    }
}

extension Key {
    /// The key's name as help shows it.
    func display(_ glyphs: Glyphs) -> String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .control(let character): "Ctrl-" + String(character)
        case .enter: glyphs.enter
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .up: glyphs.arrowUp
        case .down: glyphs.arrowDown
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        }
    }
}

/// The console's key bindings: one table for dispatch, footer, help and read-only mode.
enum KeyBindings {
    private static let endpointsPane: BindingScope = .panes([.endpoints])
    private static let deliveryPanes: BindingScope = .panes([.attempts, .retryQueue, .failures])

    static let all: [KeyBinding] = [
        // Everywhere
        KeyBinding(keys: [.character("?")], action: .help, label: "this help", scope: .everywhere, footerPriority: 100, footerLabel: { _ in "help" }),
        KeyBinding(keys: [.character("q")], action: .quit, label: "quit (asks first when that stops a dispatcher with deliveries queued)", scope: .lists, footerPriority: 95, footerLabel: { _ in "quit" }),
        KeyBinding(keys: [.control("c")], action: .forceQuit, label: "quit at once", scope: .everywhere),
        KeyBinding(keys: [.control("z")], action: .suspend, label: "suspend to the shell (fg resumes)", scope: .everywhere),
        KeyBinding(keys: [.tab, .backTab], action: .nextPane, label: "next / previous pane", scope: .lists, footerPriority: 60, footerLabel: { _ in "pane" }, keyText: "Tab / Shift-Tab"),
        KeyBinding(
            keys: [.character("1"), .character("2"), .character("3"), .character("4")], action: .focusPane,
            label: "endpoints (or sources), events (or failures), attempts, retry queue (or log)", scope: .lists),
        KeyBinding(
            keys: [.character("s")], action: .toggleSources, label: "sources in pane 1 / back to endpoints", scope: .lists, footerPriority: 35,
            footerLabel: { $0.focus == .sources ? "endpoints" : "sources" }),
        KeyBinding(keys: [.character("j"), .down], action: .down, label: "move down (detail: scroll)", scope: .everywhere, footerPriority: 30, footerLabel: { $0.detail == nil ? "move" : "scroll" }),
        KeyBinding(keys: [.character("k"), .up], action: .up, label: "move up (detail: scroll)", scope: .everywhere),
        KeyBinding(keys: [.character("g"), .home], action: .top, label: "first row / top", scope: .everywhere),
        KeyBinding(keys: [.character("G"), .end], action: .bottom, label: "last row / end", scope: .everywhere),
        KeyBinding(keys: [.pageDown, .character(" ")], action: .pageDown, label: "page down", scope: .everywhere),
        KeyBinding(keys: [.pageUp], action: .pageUp, label: "page up", scope: .everywhere),
        KeyBinding(keys: [.control("d")], action: .halfPageDown, label: "half page down", scope: .everywhere),
        KeyBinding(keys: [.control("u")], action: .halfPageUp, label: "half page up", scope: .everywhere),
        KeyBinding(keys: [.character("/")], action: .filter, label: "filter: type:order.* status:failed endpoint:name text", scope: .lists, footerPriority: 70, footerLabel: { _ in "filter" }),
        KeyBinding(
            keys: [.escape], action: .clearFilter, label: "clear the filter (pane 4: back to the queue's groups)", scope: .lists, footerPriority: 80,
            footerLabel: { !$0.filter($0.focus).isEmpty ? "clear filter" : ($0.focus == .retryQueue && $0.queueEndpoint != nil ? "groups" : nil) }),
        KeyBinding(keys: [.character("f")], action: .follow, label: "follow new events / freeze the list", scope: .lists, footerPriority: 40, footerLabel: { $0.events.following ? "freeze" : "follow" }),
        KeyBinding(
            keys: [.character("y")], action: .copyID, label: "copy the selected id (detail view: a curl command) to the clipboard", scope: .everywhere, footerPriority: 20,
            footerLabel: { $0.detail == nil ? "copy id" : "copy curl" }),
        KeyBinding(keys: [.character("F")], action: .failures, label: "failures in pane 2 (failed and retrying deliveries) / back to events", scope: .lists, footerPriority: 45, footerLabel: { $0.paneTwo == .failures ? "events" : "failures" }),
        KeyBinding(keys: [.character("l")], action: .logs, label: "server log in pane 4 / back to the retry queue", scope: .lists, footerPriority: 25, footerLabel: { $0.paneFour == .logs ? "queue" : "log" }),
        // Pane 1: endpoints
        KeyBinding(keys: [.enter], action: .open, label: "open the detail view (endpoints: their events; queue groups: that endpoint's queue)", scope: .lists, footerPriority: 65, footerLabel: { $0.focus == .endpoints ? "events" : "open" }),
        KeyBinding(keys: [.character("e")], action: .endpointSettings, label: "endpoint settings and health", scope: endpointsPane, footerPriority: 55, footerLabel: { _ in "settings" }),
        KeyBinding(keys: [.character("o")], action: .cycleOrder, label: "sort order: health (failing and paused first), failure rate, name", scope: endpointsPane, footerPriority: 34, footerLabel: { "by " + $0.endpointOrder.next.word }),
        KeyBinding(
            keys: [.character("p")], action: .pauseResume, label: "pause / resume the endpoint (y then Enter)", scope: endpointsPane, mutates: true, footerPriority: 90,
            footerLabel: { $0.selectedEndpoint?.enabled == false ? "resume" : "pause" }),
        KeyBinding(keys: [.character("B")], action: .recover, label: "recover failed deliveries since a time (type the name)", scope: endpointsPane, mutates: true, footerPriority: 86, footerLabel: { _ in "recover" }),
        KeyBinding(keys: [.character("R")], action: .rotateSecret, label: "rotate the secret (type the name)", scope: endpointsPane, mutates: true, footerPriority: 85, footerLabel: { _ in "rotate secret" }),
        // Pane 2: events
        KeyBinding(
            keys: [.character("r")], action: .replayOrRetryFailed, label: "retry the event's failed deliveries, or replay it to every subscriber (y then Enter)", scope: .panes([.events]),
            mutates: true, footerPriority: 90, footerLabel: { _ in "retry/replay" }),
        // Panes 3 and 4: deliveries
        KeyBinding(keys: [.character("r")], action: .retryDelivery, label: "retry the selected delivery now (y then Enter)", scope: deliveryPanes, mutates: true, footerPriority: 90, footerLabel: { _ in "retry" }),
        // Detail view
        KeyBinding(keys: [.escape, .character("q"), .left, .backspace], action: .back, label: "back", scope: .detail, footerPriority: 90, footerLabel: { _ in "back" }),
    ]

    /// The binding `key` triggers in `state` (the most specific scope wins).
    static func binding(for key: Key, in state: ConsoleState) -> KeyBinding? {
        let inDetail = state.detail != nil
        return all.filter { $0.keys.contains(key) && $0.scope.applies(focus: state.focus, inDetail: inDetail) }
            .max { $0.scope.specificity < $1.scope.specificity }
    }

    /// For a key that does nothing in the focused pane but something in others: where it works.
    static func elsewhere(_ key: Key, _ state: ConsoleState) -> String? {
        let uses = all.compactMap { binding -> String? in
            guard binding.keys.contains(key), case .panes(let panes) = binding.scope, !(state.readOnly && binding.mutates) else { return nil }
            let numbers = panes.map(\.number).sorted().map(String.init).joined(separator: ", ")
            let names = panes.sorted { $0.number < $1.number }.map(\.title).joined(separator: " and ")
            return "\(binding.label.split(separator: " (").first ?? "") in pane \(numbers) (\(names))"
        }
        guard !uses.isEmpty else { return nil }
        return "\(key.display(state.glyphs)): " + uses.joined(separator: "; ")
    }

    /// The bindings that apply in `state`, in table order, without the ones a read-only
    /// console hides.
    static func active(in state: ConsoleState) -> [KeyBinding] {
        let inDetail = state.detail != nil
        return all.filter { $0.scope.applies(focus: state.focus, inDetail: inDetail) && !(state.readOnly && $0.mutates) }
    }

    /// The footer's hints for `state`.
    static func footer(for state: ConsoleState) -> [KeyHint] {
        active(in: state).compactMap { binding in
            guard let priority = binding.footerPriority else { return nil }
            guard let label = binding.footerLabel(state) else { return nil }
            let key = binding.action == .down ? "j/k" : binding.action == .nextPane ? "Tab" : binding.keys[0].display(state.glyphs)
            return KeyHint(key: key, label: label, priority: priority)
        }
    }

    /// The `?` overlay: keys of every list pane, the focused pane's own, and the detail view's.
    static func help(for state: ConsoleState) -> [HelpSection] {
        var listState = state
        listState.detail = nil
        let glyphs = state.glyphs
        func hints(_ bindings: [KeyBinding]) -> [KeyHint] {
            bindings.map { KeyHint(key: $0.keyDisplay(glyphs), label: $0.label) }
        }
        let visible = all.filter { !(state.readOnly && $0.mutates) }
        let general = visible.filter { $0.scope == .lists || $0.scope == .everywhere }
        let own = visible.filter {
            if case .panes(let panes) = $0.scope { return panes.contains(state.focus) }
            return false
        }
        var pane = hints(own)
        if state.readOnly { pane.append(KeyHint(key: "", label: "read-only: actions are hidden and refused")) }
        if pane.isEmpty { pane.append(KeyHint(key: "", label: "only the keys above")) }
        let detail = visible.filter { $0.scope == .detail }
        return [
            HelpSection(title: "Everywhere", hints: hints(general)),
            HelpSection(title: "\(state.focus.number) \(state.focus.title)", hints: pane),
            HelpSection(title: "Detail view", hints: hints(detail)),
        ]
    }
}
