/// The keys of each pane, for the footer and the `?` overlay. Actions are left out in
/// read-only mode.
enum KeyHints {
    /// The footer's short list for `pane`.
    static func footer(for state: ConsoleState) -> [KeyHint] {
        let enter = state.glyphs.enter
        if state.detail != nil {
            return [KeyHint(key: "j/k", label: "scroll"), KeyHint(key: "PgUp/PgDn", label: "page"), KeyHint(key: "g/G", label: "top/end"), KeyHint(key: "Esc", label: "back"), KeyHint(key: "?", label: "help")]
        }
        var hints = [
            KeyHint(key: "?", label: "help", priority: 100), KeyHint(key: "Tab", label: "pane", priority: 60),
            KeyHint(key: "j/k", label: "move", priority: 30), KeyHint(key: enter, label: "open", priority: 65),
            KeyHint(key: "/", label: "filter", priority: 70),
            KeyHint(key: "f", label: state.events.following ? "freeze" : "follow", priority: 40),
            KeyHint(key: "s", label: state.focus == .sources ? "endpoints" : "sources", priority: state.focus.isPaneOne ? 75 : 35),
        ]
        if !state.readOnly {
            switch state.focus {
            case .endpoints:
                hints.append(KeyHint(key: "d", label: state.selectedEndpoint?.enabled == false ? "enable" : "disable", priority: 90))
                hints.append(KeyHint(key: "R", label: "rotate secret", priority: 85))
            case .events:
                hints.append(KeyHint(key: "r", label: "replay", priority: 90))
            case .sources:
                break
            case .attempts, .retryQueue:
                hints.append(KeyHint(key: "r", label: "retry", priority: 90))
            }
        }
        if !state.filter(state.focus).isEmpty { hints.append(KeyHint(key: "Esc", label: "clear filter", priority: 80)) }
        hints.append(KeyHint(key: "q", label: "quit", priority: 95))
        return hints
    }

    /// The `?` overlay: keys that work everywhere, then the focused pane's.
    static func help(for state: ConsoleState) -> [HelpSection] {
        let enter = state.glyphs.enter
        let everywhere = HelpSection(
            title: "Everywhere",
            hints: [
                KeyHint(key: "Tab / Shift-Tab", label: "next / previous pane"),
                KeyHint(key: "1 2 3 4", label: "endpoints (or sources), events, attempts, retry queue"),
                KeyHint(key: "s", label: "sources in pane 1 / back to endpoints"),
                KeyHint(key: "j k \(state.glyphs.arrowDown) \(state.glyphs.arrowUp)", label: "move down / up"),
                KeyHint(key: "g G", label: "first / last row"),
                KeyHint(key: "PgDn PgUp", label: "page down / up"),
                KeyHint(key: "Ctrl-d Ctrl-u", label: "half page down / up"),
                KeyHint(key: enter, label: "open the detail view"),
                KeyHint(key: "Esc", label: "back, cancel, clear the filter"),
                KeyHint(key: "/", label: "filter: type:order.* status:failed endpoint:name text"),
                KeyHint(key: "f", label: "follow new events / freeze the list"),
                KeyHint(key: "q", label: "quit (from a detail view: back)"),
                KeyHint(key: "Ctrl-C", label: "quit"),
            ])
        var pane: [KeyHint]
        switch state.focus {
        case .endpoints:
            pane = [KeyHint(key: enter, label: "endpoint settings and health")]
            if !state.readOnly {
                pane += [KeyHint(key: "d", label: "disable / enable (asks y/N)"), KeyHint(key: "R", label: "rotate the secret (type the name)")]
            }
        case .sources:
            pane = [
                KeyHint(key: enter, label: "ingest URL, verification, last refusal and its reason"),
                KeyHint(key: "/", label: "filter: status:refusing status:unverified name text"),
            ]
        case .events:
            pane = [KeyHint(key: enter, label: "event and its payload as JSON")]
            if !state.readOnly { pane.append(KeyHint(key: "r", label: "replay to the subscribed endpoints (asks y/N)")) }
        case .attempts:
            pane = [KeyHint(key: enter, label: "attempt: request headers and response body")]
            if !state.readOnly { pane.append(KeyHint(key: "r", label: "retry the selected delivery now (asks y/N)")) }
        case .retryQueue:
            pane = [KeyHint(key: enter, label: "delivery and its attempts")]
            if !state.readOnly { pane.append(KeyHint(key: "r", label: "retry the selected delivery now (asks y/N)")) }
        }
        if state.readOnly { pane.append(KeyHint(key: "", label: "read-only: actions are disabled")) }
        let detail = HelpSection(
            title: "Detail view",
            hints: [KeyHint(key: "j k PgDn PgUp g G", label: "scroll"), KeyHint(key: "Esc q", label: "back")])
        return [everywhere, HelpSection(title: "\(state.focus.number) \(state.focus.title)", hints: pane), detail]
    }
}
