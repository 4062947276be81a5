import Foundation

/// The console's update function: state and an input in, the new state and the effects
/// to run out. Pure: no I/O, no clock, no terminal; the runtime runs the effects and
/// feeds their results back as inputs.
enum Reducer {
    /// Applies `input` to `state` and returns what the runtime must do.
    static func reduce(_ state: inout ConsoleState, _ input: Input) -> [Effect] {
        switch input {
        case .key(let key):
            return handleKey(key, &state)
        case .paste(let text):
            return handlePaste(text, &state)
        case .resize(let size):
            state.size = size
            reanchorAll(&state)
            clampDetailScroll(&state)
            return []
        case .tick(let now):
            return tick(now, &state)
        case .changes(let changes, let dropped):
            return applyChanges(changes, dropped: dropped, &state)
        case .loaded(let result):
            return applyLoaded(result, &state)
        case .completed(let outcome):
            return applyOutcome(outcome, &state)
        case .connection(let connection, let resumed):
            state.session?.connection = connection
            if resumed { state.sync.forgetAllLoads() }
            return tick(state.now, &state)
        }
    }

    // MARK: Keys

    static func handleKey(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        if key == .control("c") { return quit(&state) }
        if Layout(size: state.size).arrangement == .tooSmall {
            return key == .character("q") ? quit(&state) : []
        }
        if let modal = state.modal { return handleModalKey(key, modal, &state) }
        guard let binding = KeyBindings.binding(for: key, in: state) else {
            if state.detail == nil, let elsewhere = KeyBindings.elsewhere(key, state) { flash(elsewhere, .info, &state) }
            return []
        }
        if binding.mutates && state.readOnly {
            flash("Read-only console: \(binding.label.split(separator: " (").first ?? "") is disabled", .error, &state)
            return []
        }
        return run(binding.action, key: key, &state)
    }

    /// `q`: quits, but first asks when quitting stops a dispatcher with work left.
    static func askBeforeQuitting(_ state: inout ConsoleState) -> [Effect] {
        let queued = state.gauges.map { $0.queueDepth + $0.inFlightDeliveries } ?? 0
        guard state.stopsDispatcherOnQuit, queued > 0, let gauges = state.gauges else { return quit(&state) }
        state.modal = .confirm(
            Confirmation(
                action: .quitStoppingDispatcher, title: "Quit and stop the dispatcher",
                lines: [
                    "This console runs the dispatcher: quitting stops deliveries and the API.",
                    "\(Format.count(gauges.queueDepth, "delivery").replacingOccurrences(of: "deliverys", with: "deliveries")) queued, \(gauges.inFlightDeliveries) in flight; they stay stored and go out at the next start.",
                ], openedAt: state.now))
        return []
    }

    static func quit(_ state: inout ConsoleState) -> [Effect] {
        state.isQuitting = true
        state.modal = nil
        return [.quit]
    }

    /// Does what a key binding names; the key itself matters only for the digits.
    static func run(_ action: KeyAction, key: Key, _ state: inout ConsoleState) -> [Effect] {
        if state.detail != nil { return runInDetail(action, &state) }
        let pane = state.focus
        let page = Layout(size: state.size).listHeight(for: pane)
        switch action {
        case .quit: return askBeforeQuitting(&state)
        case .forceQuit: return quit(&state)
        case .help:
            state.modal = .help(scroll: 0)
            return []
        case .nextPane: return focus(neighbour(of: pane, by: key == .backTab ? -1 : 1, state), &state)
        case .focusPane:
            guard case .character(let digit) = key, let number = Int(String(digit)) else { return [] }
            return focus(state.panes.first { $0.number == number } ?? .events, &state)
        case .toggleSources: return toggleSources(&state)
        case .down: return move(pane, by: 1, &state)
        case .up: return move(pane, by: -1, &state)
        case .top: return select(pane, index: 0, &state)
        case .bottom: return select(pane, index: state.rowCount(pane) - 1, &state)
        case .pageDown: return move(pane, by: page, &state)
        case .pageUp: return move(pane, by: -page, &state)
        case .halfPageDown: return move(pane, by: max(1, page / 2), &state)
        case .halfPageUp: return move(pane, by: -max(1, page / 2), &state)
        case .open: return pane == .endpoints ? openEndpointEvents(&state) : openDetail(&state)
        case .back: return []
        case .clearFilter:
            if pane == .retryQueue && state.queueEndpoint != nil && state.filter(pane).isEmpty { return closeQueue(&state) }
            guard !state.filter(pane).isEmpty else { return [] }
            return setFilter("", for: pane, &state)
        case .filter:
            state.modal = .filter(FilterPrompt(pane: pane, text: state.filter(pane).text))
            return []
        case .follow: return toggleFollow(&state)
        case .replayOrRetryFailed, .retryDelivery: return beginReplayOrRetry(&state)
        case .pauseResume: return beginToggleEndpoint(&state)
        case .rotateSecret: return beginRotateSecret(&state)
        case .copyID: return copySelection(&state)
        case .suspend: return [.suspend]
        case .cycleOrder:
            state.endpointOrder = state.endpointOrder.next
            reanchor(.endpoints, &state)
            flash("Endpoints sorted by \(state.endpointOrder.word)", .info, &state)
            return []
        case .endpointSettings: return openDetail(&state)
        case .recover: return beginRecover(&state)
        case .failures: return toggleView(.failures, instead: .events, &state)
        case .logs: return toggleView(.logs, instead: .retryQueue, &state)
        }
    }

    private static func runInDetail(_ action: KeyAction, _ state: inout ConsoleState) -> [Effect] {
        let page = Layout(size: state.size).detailTextHeight
        switch action {
        case .back: state.detail = nil
        case .help: state.modal = .help(scroll: 0)
        case .forceQuit: return quit(&state)
        case .copyID: return copySelection(&state)
        case .suspend: return [.suspend]
        case .down: scrollDetail(by: 1, &state)
        case .up: scrollDetail(by: -1, &state)
        case .top: scrollDetail(by: -Int.max / 2, &state)
        case .bottom: scrollDetail(by: Int.max / 2, &state)
        case .pageDown: scrollDetail(by: page, &state)
        case .pageUp: scrollDetail(by: -page, &state)
        case .halfPageDown: scrollDetail(by: max(1, page / 2), &state)
        case .halfPageUp: scrollDetail(by: -max(1, page / 2), &state)
        default: break
        }
        return []
    }

    // MARK: Flash

    static func flash(_ message: String, _ kind: Flash.Kind, _ state: inout ConsoleState) {
        state.flash = Flash(message: message, kind: kind, expiresAt: state.now.addingTimeInterval(Flash.lifetime))
    }
}
