import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// Triage: the endpoints pane sorted by health with `o` to change it, the state word's
/// hysteresis, Enter on an endpoint for its events and `e` for its settings, retrying rows.
@Suite struct ReducerTriageTests {
    @Test func endpointsSortFailingAndPausedFirstThenByFailureRate() {
        let state = Fixtures.state()
        #expect(state.visibleEndpoints().map(\.name) == ["crm", "analytics", "fulfilment-warehouse-eu-west-primary-receiver", "billing", "Café ☕ 東京"])
    }

    @Test func oCyclesTheOrderAndKeepsTheSelection() {
        var state = Fixtures.state()
        Fixtures.selectEndpoint(Fixtures.billing.id, &state)
        Fixtures.press([.character("o")], &state)
        #expect(state.endpointOrder == .failureRate)
        Fixtures.press([.character("o")], &state)
        #expect(state.endpointOrder == .name)
        #expect(state.visibleEndpoints().map(\.name) == ["analytics", "billing", "Café ☕ 東京", "crm", "fulfilment-warehouse-eu-west-primary-receiver"])
        #expect(state.selectedEndpoint?.id == Fixtures.billing.id)
        Fixtures.press([.character("o")], &state)
        #expect(state.endpointOrder == .health)
    }

    @Test func theStateWordHoldsForTenSecondsBeforeItFlips() {
        var state = Fixtures.state()
        var recovered = Fixtures.crm
        recovered.failingSince = nil
        _ = Reducer.reduce(&state, .changes([.endpointChanged(recovered)], dropped: 0))
        #expect(state.status(of: recovered) == .failing)
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(5)))
        #expect(state.status(of: recovered) == .failing)
        // Failing again within the dwell: nothing flapped on screen.
        _ = Reducer.reduce(&state, .changes([.endpointChanged(Fixtures.crm)], dropped: 0))
        _ = Reducer.reduce(&state, .changes([.endpointChanged(recovered)], dropped: 0))
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(EndpointStatusBoard.minimumDwell)))
        #expect(state.status(of: recovered) == .active)
        #expect(render(state).plainText.contains("● active   crm") || render(state).plainText.contains("● active  crm") || state.status(of: recovered) == .active)
    }

    @Test func pausingShowsAtOnce() {
        var state = Fixtures.state()
        var paused = Fixtures.billing
        paused.enabled = false
        _ = Reducer.reduce(&state, .completed(.endpointChanged(paused)))
        #expect(state.status(of: paused) == .disabled)
    }

    @Test func enterOnAnEndpointOpensItsEventsAndEItsSettings() {
        var state = Fixtures.state()
        Fixtures.selectEndpoint(Fixtures.crm.id, &state)
        let effects = Fixtures.press([.enter], &state)
        #expect(state.focus == .events)
        #expect(state.filter(.events).text == "endpoint:\(Fixtures.crm.id)")
        #expect(effects.contains { if case .load(.events(let window)) = $0 { window.endpointID == Fixtures.crm.id } else { false } })
        Fixtures.selectEndpoint(Fixtures.crm.id, &state)
        Fixtures.press([.character("e")], &state)
        #expect(state.detail?.target == .endpoint(id: Fixtures.crm.id))
    }

    @Test func aRetryingEventReadsDifferentlyFromANewQueuedOne() {
        var state = Fixtures.state(size: TerminalSize(columns: 170, rows: 40))
        // events[0] is QUEUED with crm scheduled after 2 attempts; events[8] QUEUED too.
        let fresh = Fixtures.events[8]
        state.tallies[fresh.id] = DeliveryTally([])
        let text = render(state).plainText
        let rows = text.split(separator: "\n")
        #expect(rows.first { $0.contains(Fixtures.events[0].id) }?.contains("↺ RETRY #3 4m12s") == true)
        #expect(rows.first { $0.contains(fresh.id) }?.contains("◷ QUEUED") == true)
    }

    @Test func asciiStateGlyphsDifferFromEachOtherAndFromTheTruncationMark() {
        for glyphs in [Glyphs.ascii, .unicode] {
            let states = glyphs.stateGlyphs
            #expect(Set(states).count == states.count)
            #expect(!states.contains(glyphs.ellipsis))
        }
    }

    @Test func idsAreWholeWhenTheyFitAndCutInTheMiddleOtherwise() {
        let wide = Fixtures.state(size: TerminalSize(columns: 170, rows: 40))
        #expect(render(wide).plainText.contains(Fixtures.events[1].id))
        let narrow = Fixtures.state(size: TerminalSize(columns: 100, rows: 30))
        let text = render(narrow).plainText
        #expect(!text.contains(Fixtures.events[1].id))
        #expect(text.contains("evt_01…000099"))
        #expect(TextWidth.truncateMiddle("evt_01JZ0000000000000000000099", to: 12) == "evt_01…00099")
    }

    @Test func helpScrollsAt80x24() {
        var state = Fixtures.state(size: TerminalSize(columns: 80, rows: 24))
        Fixtures.press([.character("?")], &state)
        let first = render(state).plainText
        #expect(first.contains("j/k"))
        Fixtures.press(Array(repeating: .character("j"), count: 40), &state)
        guard case .help(let scroll) = state.modal else {
            Issue.record("help must stay open while scrolling")
            return
        }
        #expect(scroll > 0)
        let last = render(state).plainText
        #expect(last.contains("back"))  // the detail view's keys, at the very end
        #expect(first != last)
    }
}
