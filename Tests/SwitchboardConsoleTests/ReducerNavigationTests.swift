import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// Focus, selection bounds, scrolling, detail views and quitting.
@Suite struct ReducerNavigationTests {
    @Test func tabAndShiftTabCycleThroughThePanes() {
        var state = Fixtures.state()
        #expect(state.focus == .events)
        var seen: [Pane] = []
        for _ in 0..<4 {
            Fixtures.press([.tab], &state)
            seen.append(state.focus)
        }
        #expect(seen == [.attempts, .retryQueue, .endpoints, .events])
        Fixtures.press([.backTab], &state)
        #expect(state.focus == .endpoints)
        Fixtures.press([.backTab], &state)
        #expect(state.focus == .retryQueue)
    }

    @Test func digitsSelectPanes() {
        var state = Fixtures.state()
        for (digit, pane) in zip("1234", [Pane.endpoints, .events, .attempts, .retryQueue]) {
            Fixtures.press([.character(digit)], &state)
            #expect(state.focus == pane)
        }
        Fixtures.press([.character("5")], &state)
        #expect(state.focus == .retryQueue)
    }

    @Test func selectionStaysWithinTheRows() {
        var state = Fixtures.state()
        Fixtures.press([.character("1"), .up, .character("k")], &state)
        #expect(state.cursor(.endpoints).selection == 0)
        Fixtures.press([.character("G")], &state)
        #expect(state.cursor(.endpoints).selection == 4)
        Fixtures.press([.down, .character("j"), .pageDown, .control("d")], &state)
        #expect(state.cursor(.endpoints).selection == 4)
        #expect(state.cursor(.endpoints).selectedID == Fixtures.cafe.id)
        Fixtures.press([.character("g")], &state)
        #expect(state.cursor(.endpoints).selection == 0)
        Fixtures.press([.end, .home], &state)
        #expect(state.cursor(.endpoints).selection == 0)
    }

    @Test func pagingMovesByTheListHeightAndScrolls() {
        var state = Fixtures.state(size: TerminalSize(columns: 120, rows: 40))
        let height = Layout(size: state.size).listHeight(for: .events)
        Fixtures.press([.pageDown], &state)
        #expect(state.cursor(.events).selection == height)
        #expect(state.cursor(.events).top == 1)
        Fixtures.press([.control("u")], &state)
        #expect(state.cursor(.events).selection == height - height / 2)
        Fixtures.press([.pageUp], &state)
        #expect(state.cursor(.events).selection == 0)
        #expect(state.cursor(.events).top == 0)
    }

    @Test func movingInAnEmptyPaneDoesNothing() {
        var state = Fixtures.state()
        state.retryQueue = []
        state.queueGroups = []
        Fixtures.press([.character("4"), .down, .character("G"), .pageDown, .enter, .character("r")], &state)
        #expect(state.cursor(.retryQueue).selection == 0)
        #expect(state.detail == nil)
        #expect(state.modal == nil)
    }

    @Test func selectingAnEventPointsTheAttemptsPaneAtIt() {
        var state = Fixtures.state()
        let effects = Fixtures.press([.down], &state)
        let second = EventRef(id: Fixtures.events[1].id, tenantID: Fixtures.events[1].tenantID)
        #expect(state.inspected == second)
        #expect(effects.contains(.load(.eventDetail(second))))
        // The retry pane's selection inspects the delivery's event.
        Fixtures.openQueue(Fixtures.crm.id, &state)
        Fixtures.press([.down], &state)
        #expect(state.inspected?.id == Fixtures.retryQueue[1].eventID)
        // Working in the attempts pane leaves the inspected event alone.
        Fixtures.press([.character("3")], &state)
        #expect(state.inspected?.id == Fixtures.retryQueue[1].eventID)
    }

    @Test func enterOpensDetailsAndEscOrQGoesBack() {
        var state = Fixtures.state()
        Fixtures.press([.enter], &state)
        #expect(state.detail?.target == .event(EventRef(id: Fixtures.events[0].id, tenantID: "default")))
        let effects = Fixtures.press([.character("q")], &state)
        #expect(state.detail == nil)
        #expect(!state.isQuitting)
        #expect(effects.isEmpty)
        Fixtures.selectEndpoint(Fixtures.billing.id, &state)
        Fixtures.press([.character("e")], &state)
        #expect(state.detail?.target == .endpoint(id: Fixtures.billing.id))
        Fixtures.press([.escape], &state)
        #expect(state.detail == nil)
        Fixtures.press([.character("3"), .down, .down, .down, .down, .enter], &state)
        guard case .attempt = state.detail?.target else {
            Issue.record("expected an attempt detail, got \(String(describing: state.detail))")
            return
        }
    }

    @Test func detailScrollingStaysWithinTheContent() {
        var state = Fixtures.state(size: TerminalSize(columns: 80, rows: 24))
        Fixtures.press([.enter, .up], &state)
        #expect(state.detail?.scroll == 0)
        Fixtures.press([.character("G")], &state)
        let layout = Layout(size: state.size)
        let lines = DetailContent.lines(for: state.detail!.target, state: state, width: layout.detailTextWidth).count
        let bottom = lines - layout.detailTextHeight
        #expect(bottom > 0)
        #expect(state.detail?.scroll == bottom)
        Fixtures.press([.down, .pageDown, .control("d")], &state)
        #expect(state.detail?.scroll == bottom)
        Fixtures.press([.character("g"), .down, .down], &state)
        #expect(state.detail?.scroll == 2)
    }

    @Test func qQuitsAndCtrlCAlwaysQuits() {
        var state = Fixtures.state()
        #expect(Fixtures.press([.character("q")], &state) == [.quit])
        #expect(state.isQuitting)

        for opening in [[Key.character("/")], [.character("?")], [.enter], [.character("r")], [.character("1"), .character("R")]] {
            var state = Fixtures.state()
            Fixtures.press(opening, &state)
            #expect(Fixtures.press([.control("c")], &state) == [.quit], "Ctrl-C after \(opening)")
            #expect(state.isQuitting)
        }
    }

    @Test func qIsTextInThePrompt() {
        var state = Fixtures.state()
        let effects = Fixtures.press([.character("/"), .character("q")], &state)
        #expect(!effects.contains(.quit))
        #expect(state.modal == .filter(FilterPrompt(pane: .events, text: "q")))
    }

    @Test func tooSmallScreenAcceptsOnlyQuitting() {
        var state = Fixtures.state(size: TerminalSize(columns: 50, rows: 12))
        #expect(Fixtures.press([.character("2"), .character("?"), .tab, .character("/"), .enter], &state).isEmpty)
        #expect(state.modal == nil)
        #expect(state.detail == nil)
        #expect(state.focus == .events)
        #expect(Fixtures.press([.character("q")], &state) == [.quit])
        // Growing the terminal brings the console back.
        var other = Fixtures.state(size: TerminalSize(columns: 50, rows: 12))
        _ = Reducer.reduce(&other, .resize(TerminalSize(columns: 80, rows: 24)))
        Fixtures.press([.character("1")], &other)
        #expect(other.focus == .endpoints)
    }

    @Test func resizeKeepsTheSelectionVisible() {
        var state = Fixtures.state(size: TerminalSize(columns: 120, rows: 60))
        Fixtures.press([.character("2")] + Array(repeating: .down, count: 25), &state)
        #expect(state.cursor(.events).selection == 25)
        _ = Reducer.reduce(&state, .resize(TerminalSize(columns: 80, rows: 20)))
        let cursor = state.cursor(.events)
        let height = Layout(size: state.size).listHeight(for: .events)
        #expect(cursor.selection == 25)
        #expect(cursor.top <= 25 && 25 < cursor.top + height)
    }

    @Test func helpOpensAndAnyKeyClosesIt() {
        var state = Fixtures.state()
        Fixtures.press([.character("?")], &state)
        #expect(state.modal == .help(scroll: 0))
        Fixtures.press([.character("x")], &state)
        #expect(state.modal == nil)
        #expect(state.cursor(.events).selection == 0)
    }
}
