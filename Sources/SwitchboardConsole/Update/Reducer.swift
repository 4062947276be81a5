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
        }
    }

    // MARK: Keys

    static func handleKey(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        if key == .control("c") { return quit(&state) }
        if Layout(size: state.size).arrangement == .tooSmall {
            return key == .character("q") ? quit(&state) : []
        }
        if let modal = state.modal { return handleModalKey(key, modal, &state) }
        if state.detail != nil { return handleDetailKey(key, &state) }
        return handleNormalKey(key, &state)
    }

    static func quit(_ state: inout ConsoleState) -> [Effect] {
        state.isQuitting = true
        state.modal = nil
        return [.quit]
    }

    private static func handleNormalKey(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        let pane = state.focus
        let page = Layout(size: state.size).listHeight(for: pane)
        switch key {
        case .character("q"):
            return quit(&state)
        case .character("?"):
            state.modal = .help
            return []
        case .tab:
            return focus(neighbour(of: pane, by: 1, state), &state)
        case .backTab:
            return focus(neighbour(of: pane, by: -1, state), &state)
        case .character(let digit) where ("1"..."4").contains(digit):
            let number = Int(String(digit))!
            return focus(state.panes.first { $0.number == number } ?? .events, &state)
        case .character("s"):
            return toggleSources(&state)
        case .character("j"), .down:
            return move(pane, by: 1, &state)
        case .character("k"), .up:
            return move(pane, by: -1, &state)
        case .character("g"), .home:
            return select(pane, index: 0, &state)
        case .character("G"), .end:
            return select(pane, index: state.rowCount(pane) - 1, &state)
        case .pageDown:
            return move(pane, by: page, &state)
        case .pageUp:
            return move(pane, by: -page, &state)
        case .control("d"):
            return move(pane, by: max(1, page / 2), &state)
        case .control("u"):
            return move(pane, by: -max(1, page / 2), &state)
        case .enter:
            return openDetail(&state)
        case .escape:
            guard !state.filter(pane).isEmpty else { return [] }
            return setFilter("", for: pane, &state)
        case .character("/"):
            state.modal = .filter(FilterPrompt(pane: pane, text: state.filter(pane).text))
            return []
        case .character("f"):
            return toggleFollow(&state)
        case .character("r"):
            return beginReplayOrRetry(&state)
        case .character("d"):
            return beginToggleEndpoint(&state)
        case .character("R"):
            return beginRotateSecret(&state)
        default:
            return []
        }
    }

    private static func handleDetailKey(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        let page = Layout(size: state.size).detailTextHeight
        switch key {
        case .escape, .character("q"), .left, .backspace:
            state.detail = nil
        case .character("?"):
            state.modal = .help
        case .character("j"), .down:
            scrollDetail(by: 1, &state)
        case .character("k"), .up:
            scrollDetail(by: -1, &state)
        case .character("g"), .home:
            scrollDetail(by: -Int.max / 2, &state)
        case .character("G"), .end:
            scrollDetail(by: Int.max / 2, &state)
        case .pageDown, .character(" "):
            scrollDetail(by: page, &state)
        case .pageUp:
            scrollDetail(by: -page, &state)
        case .control("d"):
            scrollDetail(by: max(1, page / 2), &state)
        case .control("u"):
            scrollDetail(by: -max(1, page / 2), &state)
        default:
            break
        }
        return []
    }

    // MARK: Flash

    static func flash(_ message: String, _ kind: Flash.Kind, _ state: inout ConsoleState) {
        state.flash = Flash(message: message, kind: kind, expiresAt: state.now.addingTimeInterval(Flash.lifetime))
    }
}
