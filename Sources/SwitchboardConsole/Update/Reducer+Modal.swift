import Foundation
import SwitchboardCore

/// Keys while a modal is open: help, the filter prompt, confirmations and the secret.
extension Reducer {
    static func handleModalKey(_ key: Key, _ modal: Modal, _ state: inout ConsoleState) -> [Effect] {
        switch modal {
        case .help(let scroll):
            // Help scrolls when it is taller than the screen; any other key closes it.
            let sections = KeyBindings.help(for: state)
            let lines = sections.reduce(0) { $0 + $1.hints.count + 1 } + sections.count - 1
            let height = max(1, state.size.rows - 4)
            let clamp = { (value: Int) in Modal.help(scroll: max(0, min(value, lines - height))) }
            switch key {
            case .character("j"), .down: state.modal = clamp(scroll + 1)
            case .character("k"), .up: state.modal = clamp(scroll - 1)
            case .pageDown, .character(" "): state.modal = clamp(scroll + height)
            case .pageUp: state.modal = clamp(scroll - height)
            default: state.modal = nil
            }
            return []
        case .filter(let prompt):
            return handleFilterKey(key, prompt, &state)
        case .confirm(var confirmation):
            // Keys typed ahead (or arriving in a burst) never answer a dialog just opened.
            guard confirmation.acceptsKeys(at: state.now) else { return [] }
            switch key {
            case .character("y"), .character("Y"):
                confirmation.armed = true
                state.modal = .confirm(confirmation)
            case .enter where confirmation.armed:
                state.modal = nil
                return perform(confirmation.action, &state)
            case .escape, .character("n"), .character("N"), .character("q"):
                state.modal = nil
                flash("Cancelled: \(confirmation.action.verb) not done, nothing changed", .info, &state)
            case .up, .character("k"), .backTab:
                confirmation.selected = max(0, confirmation.selected - 1)
                confirmation.armed = false
                state.modal = .confirm(confirmation)
            case .down, .character("j"), .tab:
                confirmation.selected = min(confirmation.options.count - 1, confirmation.selected + 1)
                confirmation.armed = false
                state.modal = .confirm(confirmation)
            case .character(let digit) where digit.isNumber:
                if let number = Int(String(digit)), confirmation.options.indices.contains(number - 1) {
                    confirmation.selected = number - 1
                    confirmation.armed = false
                    state.modal = .confirm(confirmation)
                }
            default:
                break
            }
            return []
        case .typedConfirm(var confirmation):
            switch key {
            case .escape:
                state.modal = nil
                flash("Cancelled: secret not rotated", .info, &state)
            case .enter:
                if confirmation.typed == confirmation.expected {
                    state.modal = nil
                    return perform(confirmation.action, &state)
                }
                confirmation.mismatch = true
                state.modal = .typedConfirm(confirmation)
            case .backspace, .delete:
                if !confirmation.typed.isEmpty { confirmation.typed.removeLast() }
                confirmation.mismatch = false
                state.modal = .typedConfirm(confirmation)
            case .control("u"):
                confirmation.typed = ""
                confirmation.mismatch = false
                state.modal = .typedConfirm(confirmation)
            case .character(let character) where confirmation.typed.count < 256:
                confirmation.typed.append(character)
                confirmation.mismatch = false
                state.modal = .typedConfirm(confirmation)
            default:
                break
            }
            return []
        case .recover(let prompt):
            return handleRecoverKey(key, prompt, &state)
        case .adminKey(let panel):
            if key == .enter || key == .escape {
                state.modal = nil
                flash(panel.file.map { "The admin key is kept in \($0) (mode 0600)" } ?? "Admin key dismissed: it is not shown again", .info, &state)
            } else if key == .character("y") {
                flash("Copied the admin key to the clipboard (OSC 52)", .success, &state)
                return [.copy(panel.key)]
            }
            return []
        case .secret:
            if key == .enter || key == .escape || key == .character("q") {
                state.modal = nil
            }
            return []
        }
    }

    // MARK: Recover

    private static func handleRecoverKey(_ key: Key, _ prompt: RecoverPrompt, _ state: inout ConsoleState) -> [Effect] {
        var prompt = prompt
        let askingName = prompt.since != nil
        func edit(_ text: inout String) {
            switch key {
            case .backspace, .delete: if !text.isEmpty { text.removeLast() }
            case .control("u"): text = ""
            case .character(let character) where text.count < 256: text.append(character)
            default: break
            }
        }
        switch key {
        case .escape:
            state.modal = nil
            flash("Cancelled: nothing recovered", .info, &state)
            return []
        case .enter where !askingName:
            switch TimeTerm.parse(prompt.sinceText, now: state.now, timeZone: state.timeZone) {
            case .success(let date) where date <= state.now:
                prompt.since = date
                prompt.error = nil
            case .success:
                prompt.error = "That time is in the future: nothing failed since then yet."
            case .failure(let error):
                prompt.error = error.message.prefix(1).uppercased() + error.message.dropFirst()
            }
        case .enter:
            guard prompt.typedName == prompt.name, let since = prompt.since else {
                prompt.error = "That is not the endpoint's name; type it exactly."
                break
            }
            state.modal = nil
            return perform(.recover(endpointID: prompt.endpointID, tenantID: prompt.tenantID, name: prompt.name, since: since), &state)
        default:
            if askingName { edit(&prompt.typedName) } else { edit(&prompt.sinceText) }
            prompt.error = nil
        }
        state.modal = .recover(prompt)
        return []
    }

    // MARK: Filter

    private static func handleFilterKey(_ key: Key, _ prompt: FilterPrompt, _ state: inout ConsoleState) -> [Effect] {
        var prompt = prompt
        switch key {
        case .escape:
            state.modal = nil
            return setFilter("", for: prompt.pane, &state)
        case .enter:
            // A filter with a term it cannot use stays open, its error shown.
            guard FilterQuery(prompt.text).errors(in: prompt.pane).isEmpty else { return [] }
            if let id = FilterQuery(prompt.text).id { return locate(id, &state) }
            state.modal = nil
            return []
        case .backspace, .delete:
            guard !prompt.text.isEmpty else { return [] }
            prompt.text.removeLast()
        case .control("u"):
            prompt.text = ""
        case .control("w"):
            let trimmed = prompt.text.reversed().drop { $0 == " " }.drop { $0 != " " }
            prompt.text = String(trimmed.reversed())
        case .character(let character) where prompt.text.count < 200:
            prompt.text.append(character)
        default:
            return []
        }
        state.modal = .filter(prompt)
        return setFilter(prompt.text, for: prompt.pane, &state)
    }

    /// Applies `text` as the filter of `pane` as it is typed: local filtering at once, and
    /// for the events pane (filtered in the store) a new window when the filter changed.
    static func setFilter(_ text: String, for pane: Pane, _ state: inout ConsoleState) -> [Effect] {
        let previous = state.filter(pane)
        let query = FilterQuery(text)
        guard query != previous else { return [] }
        state.filters[pane] = query.isEmpty && text.isEmpty ? nil : query
        var effects: [Effect] = []
        if pane == .events {
            let storeSideChanged = eventsFilterKey(previous, state) != eventsFilterKey(query, state)
            if storeSideChanged {
                state.events.unseen = 0
                state.cursors[.events] = ListCursor()
                effects += requestEvents(paneOffset: 0, &state)
            }
        }
        reanchor(pane, &state)
        if pane == .events || pane == .retryQueue { effects += refreshInspected(&state) }
        return effects
    }
}

/// Bracketed paste, and jumping to a whole id.
extension Reducer {
    /// Asks the store where `id` lives; the answer opens it.
    static func locate(_ id: String, _ state: inout ConsoleState) -> [Effect] {
        state.sync.started(.locate)
        flash("Looking for \(id) in the store…", .info, &state)
        return [.load(.locate(id))]
    }

    /// Opens what a located id names: the event (its detail view, the attempts pane on it),
    /// the delivery or attempt inside it, or the endpoint in pane 1.
    static func openLocated(_ id: String, _ target: LocatedTarget, _ state: inout ConsoleState) -> [Effect] {
        if case .filter = state.modal { state.modal = nil }
        for pane in Pane.allCases where state.filter(pane).id == id { state.filters[pane] = nil }
        flash("Found \(id)", .success, &state)
        switch target {
        case .endpoint(let endpointID, _):
            state.detail = nil
            var effects = focus(.endpoints, &state)
            if let index = state.rowIndex(.endpoints, id: endpointID) { effects += select(.endpoints, index: index, &state) }
            return effects
        case .event(let event):
            let effects = inspect(event, &state)
            state.detail = DetailState(target: .event(event))
            return effects
        case .delivery(let event, let deliveryID):
            let effects = inspect(event, &state)
            state.detail = DetailState(target: .delivery(id: deliveryID, event: event))
            return effects
        case .attempt(let event, _, let attemptID):
            let effects = inspect(event, &state)
            state.detail = DetailState(target: .attempt(id: attemptID, event: event))
            return effects
        }
    }

    /// Pasted text goes into the open prompt (filter or typed confirmation) as text, its
    /// line breaks and control characters turned into spaces; anywhere else it is dropped.
    /// It never runs keys.
    static func handlePaste(_ text: String, _ state: inout ConsoleState) -> [Effect] {
        let clean = String(text.map { $0.isNewline || ($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) ? " " : $0 })
            .trimmingCharacters(in: .whitespaces)
        switch state.modal {
        case .filter(var prompt):
            prompt.text = String((prompt.text + clean).prefix(200))
            state.modal = .filter(prompt)
            // A whole id pasted: jump to it, wherever it is in the store.
            if let id = FilterQuery(prompt.text).id { return locate(id, &state) }
            return setFilter(prompt.text, for: prompt.pane, &state)
        case .typedConfirm(var confirmation):
            confirmation.typed = String((confirmation.typed + clean).prefix(256))
            confirmation.mismatch = false
            state.modal = .typedConfirm(confirmation)
            return []
        case .recover(var prompt):
            if prompt.since == nil {
                prompt.sinceText = String((prompt.sinceText + clean).prefix(256))
            } else {
                prompt.typedName = String((prompt.typedName + clean).prefix(256))
            }
            state.modal = .recover(prompt)
            return []
        default:
            flash("Pasted text ignored: paste into a prompt (/ filters)", .info, &state)
            return []
        }
    }
}
