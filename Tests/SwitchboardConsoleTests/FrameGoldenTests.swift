import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// Whole frames from the fixed sample state, compared with the files in `Golden/`.
@Suite struct FrameGoldenTests {
    static let wide = TerminalSize(columns: 120, rows: 40)
    static let narrow = TerminalSize(columns: 80, rows: 24)

    @Test func fourPanesAt120x40() {
        var state = Fixtures.state(size: Self.wide)
        Fixtures.press([.down, .down], &state)
        Fixtures.loadInspected(&state)
        state.events.unseen = 3
        Golden.check(render(state), "quad-120x40")
    }

    @Test func tabbedAt80x24() {
        let state = Fixtures.state(size: Self.narrow)
        Golden.check(render(state), "tabbed-80x24")
    }

    @Test func tabbedEndpointsAt80x24() {
        var state = Fixtures.state(size: Self.narrow)
        Fixtures.press([.character("1"), .down, .down, .down], &state)
        Golden.check(render(state), "tabbed-endpoints-80x24")
    }

    @Test func asciiWithoutColorAt120x40() {
        var state = Fixtures.state(size: Self.wide, glyphs: .ascii)
        Fixtures.press([.character("4")], &state)
        Golden.check(render(state), "ascii-nocolor-120x40", attributes: .monochrome)
    }

    @Test func asciiTabbedAt80x24() {
        let state = Fixtures.state(size: Self.narrow, glyphs: .ascii)
        Golden.check(render(state), "ascii-tabbed-80x24", attributes: .monochrome)
    }

    @Test func eventDetailAt80x24() {
        var state = Fixtures.state(size: Self.narrow)
        Fixtures.press([.enter], &state)
        Golden.check(render(state), "detail-event-80x24")
    }

    @Test func attemptDetailAt120x40() {
        var state = Fixtures.state(size: Self.wide)
        Fixtures.press([.character("3"), .down, .down, .down, .down, .enter], &state)
        Golden.check(render(state), "detail-attempt-120x40")
    }

    @Test func helpOverlayAt120x40() {
        var state = Fixtures.state(size: Self.wide)
        Fixtures.press([.character("?")], &state)
        Golden.check(render(state), "help-120x40")
    }

    @Test func replayConfirmAt80x24() {
        var state = Fixtures.state(size: Self.narrow)
        Fixtures.press([.character("r")], &state)
        Golden.check(render(state), "confirm-replay-80x24")
    }

    @Test func rotateSecretPromptAt80x24() {
        var state = Fixtures.state(size: Self.narrow)
        Fixtures.press([.character("1"), .character("R")] + Fixtures.typing("bil"), &state)
        Golden.check(render(state), "rotate-secret-80x24")
    }

    @Test func newSecretShownOnceAt80x24() {
        var state = Fixtures.state(size: Self.narrow)
        var rotated = Fixtures.billing
        rotated.secret = Secret("whsec_NEWsecretValueForTheGoldenFile0123456789")
        rotated.previousSecret = Fixtures.billing.secret
        rotated.previousSecretExpiresAt = Fixtures.now.addingTimeInterval(86400)
        _ = Reducer.reduce(&state, .completed(.secretRotated(rotated)))
        Golden.check(render(state), "secret-80x24")
    }

    @Test func filterPromptAt120x40() {
        var state = Fixtures.state(size: Self.wide)
        Fixtures.press([.character("/")] + Fixtures.typing("paid"), &state)
        // Free text runs in the store: its answer (the events whose type or id has "paid") is the pane.
        let paid = Fixtures.events.filter { $0.eventType.contains("paid") }
        let request = EventsWindowRequest(
            id: state.events.latestRequestID, paneOffset: 0, storeOffset: 0, limit: 100, eventType: nil, text: "paid")
        _ = Reducer.reduce(&state, .loaded(.events(request, Page(items: paid, total: paid.count))))
        Golden.check(render(state), "filter-120x40")
    }

    @Test func flashAndReadOnlyAt120x40() {
        var state = Fixtures.state(size: Self.wide, readOnly: true)
        Fixtures.press([.character("r")], &state)
        Golden.check(render(state), "readonly-flash-120x40")
    }

    @Test("a dispatcher in dev mode shows a DEV badge in the header; without it, none")
    func devBadge() {
        var state = Fixtures.state(size: Self.wide)
        #expect(!render(state).plainText.split(separator: "\n")[0].contains(" DEV "))
        state.devMode = true
        #expect(render(state).plainText.split(separator: "\n")[0].contains(" DEV "))
    }

    // MARK: Sources

    @Test func sourcesAt120x40() {
        var state = Fixtures.state(size: Self.wide)
        Fixtures.withSources(&state)
        Fixtures.press([.character("s"), .down], &state)
        Golden.check(render(state), "sources-120x40")
    }

    @Test func sourcesAt100x30() {
        var state = Fixtures.state(size: TerminalSize(columns: 100, rows: 30))
        Fixtures.withSources(&state)
        Fixtures.press([.character("s")], &state)
        Golden.check(render(state), "sources-100x30")
    }

    @Test func sourcesTabbedAt80x24() {
        var state = Fixtures.state(size: Self.narrow)
        Fixtures.withSources(&state)
        Fixtures.press([.character("s"), .down, .down], &state)
        Golden.check(render(state), "sources-80x24")
    }

    @Test func sourcesAsciiWithoutColorAt100x30() {
        var state = Fixtures.state(size: TerminalSize(columns: 100, rows: 30), glyphs: .ascii)
        Fixtures.withSources(&state)
        Fixtures.press([.character("s")], &state)
        Golden.check(render(state), "sources-ascii-nocolor-100x30", attributes: .monochrome)
    }

    @Test func endpointsFlagARefusingSourceAt80x24() {
        var state = Fixtures.state(size: Self.narrow)
        Fixtures.withSources(&state)
        Fixtures.press([.character("1")], &state)
        Golden.check(render(state), "sources-badge-endpoints-80x24")
    }

    @Test func sourceDetailWithRejectionAt80x24() {
        var state = Fixtures.state(size: Self.narrow)
        Fixtures.withSources(&state)
        Fixtures.press([.character("s"), .enter], &state)
        Golden.check(render(state), "detail-source-80x24")
    }

    @Test func unverifiedSourceDetailAt100x30() {
        var state = Fixtures.state(size: TerminalSize(columns: 100, rows: 30))
        Fixtures.withSources(&state, ingestBaseURL: "")
        Fixtures.press([.character("s"), .down, .down, .enter], &state)
        Golden.check(render(state), "detail-source-unverified-100x30")
    }

    @Test func tooSmall() {
        let state = Fixtures.state(size: TerminalSize(columns: 50, rows: 12))
        Golden.check(render(state), "too-small-50x12")
    }
}
