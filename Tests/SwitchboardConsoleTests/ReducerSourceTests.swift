import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// Inbound sources: loading, feed changes, the `s` view of pane 1 and its detail.
@Suite struct ReducerSourceTests {
    static func sourcesState(size: TerminalSize = TerminalSize(columns: 120, rows: 40)) -> ConsoleState {
        var state = Fixtures.state(size: size)
        Fixtures.withSources(&state)
        return state
    }

    // MARK: Loading and changes

    @Test func theFirstTickLoadsTheSourcesAndTheAnswerIsKept() {
        var state = ConsoleState(size: TerminalSize(columns: 120, rows: 40), now: Fixtures.now)
        #expect(Reducer.reduce(&state, .tick(Fixtures.now)).contains(.load(.sources)))
        #expect(SourcesPaneBuilder.build(state, layout: Layout(size: state.size)).message?.text == "Loading…")
        _ = Reducer.reduce(&state, .loaded(.sources(Fixtures.sources)))
        #expect(state.sources.map(\.id) == Fixtures.sources.map(\.id))
        #expect(state.sync[.sources].lastLoaded == Fixtures.now)
        #expect(!state.sync[.sources].loading)
        // Only the resync brings them again when nothing changed.
        #expect(!Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(5))).contains(.load(.sources)))
        #expect(Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(16))).contains(.load(.sources)))
    }

    @Test func aFailedLoadIsShownInThePane() {
        var state = ConsoleState(size: TerminalSize(columns: 120, rows: 40), now: Fixtures.now)
        _ = Reducer.reduce(&state, .tick(Fixtures.now))
        _ = Reducer.reduce(&state, .loaded(.failed(.sources, "the store is unavailable; try again")))
        let pane = SourcesPaneBuilder.build(state, layout: Layout(size: state.size))
        #expect(pane.message == Span("Could not load sources: the store is unavailable; try again", .error))
    }

    @Test func sourceChangesUpdateCreateAndDelete() {
        var state = Self.sourcesState()
        var refused = Fixtures.stripe
        refused.rejectedCount = 4
        refused.lastRejectedAt = Fixtures.now
        refused.lastRejectionReason = "missing Stripe-Signature header"
        let created = Source(
            id: Fixtures.id("src", 9), tenantID: "default", name: "new-one", provider: .standardWebhooks, signingSecret: Secret("whsec_x"),
            slug: "in_New000000000000000000001", createdAt: Fixtures.now, updatedAt: Fixtures.now)
        let effects = Reducer.reduce(&state, .changes([.sourceChanged(refused), .sourceChanged(created)], dropped: 0))
        #expect(effects.isEmpty)
        #expect(state.sources.count == Fixtures.sources.count + 1)
        #expect(state.source(id: Fixtures.stripe.id)?.rejectedCount == 4)
        #expect(SourceStatus(state.source(id: Fixtures.stripe.id)!) == .refusing)
        #expect(state.sources.last?.id == created.id)
        _ = Reducer.reduce(&state, .changes([.sourceDeleted(id: Fixtures.github.id, tenantID: "default")], dropped: 0))
        #expect(state.source(id: Fixtures.github.id) == nil)
        // A deletion in another tenant with the same id does nothing.
        _ = Reducer.reduce(&state, .changes([.sourceDeleted(id: Fixtures.legacy.id, tenantID: "acme")], dropped: 0))
        #expect(state.source(id: Fixtures.legacy.id) != nil)
    }

    @Test func anEventFromASourceCountsAsReceivedByIt() {
        var state = Self.sourcesState()
        let before = state.source(id: Fixtures.stripe.id)!.eventsReceived
        let received = Fixtures.now.addingTimeInterval(3)
        let fromSource = Event(
            id: Fixtures.id("evt", 901), tenantID: Fixtures.stripe.tenantID, eventType: "charge.succeeded", payload: Data("{}".utf8),
            origin: .source, sourceID: Fixtures.stripe.id, createdAt: received)
        var replayed = fromSource
        replayed.id = Fixtures.id("evt", 902)
        replayed.origin = .replay
        _ = Reducer.reduce(&state, .changes([.eventPublished(fromSource, deliveries: []), .eventPublished(replayed, deliveries: [])], dropped: 0))
        #expect(state.source(id: Fixtures.stripe.id)?.eventsReceived == before + 1, "a replay is not a new receipt")
        #expect(state.source(id: Fixtures.stripe.id)?.lastReceivedAt == received)
    }

    @Test func theSelectionFollowsItsSourceAndStaysInBounds() {
        var state = Self.sourcesState()
        Fixtures.press([.character("s"), .character("G")], &state)
        #expect(state.selectedSource?.id == Fixtures.partner.id)
        _ = Reducer.reduce(&state, .changes([.sourceDeleted(id: Fixtures.partner.id, tenantID: "acme")], dropped: 0))
        #expect(state.cursor(.sources).selection == 3)
        #expect(state.selectedSource?.id == Fixtures.shopify.id)
        _ = Reducer.reduce(&state, .changes([.sourceDeleted(id: Fixtures.stripe.id, tenantID: "default")], dropped: 0))
        #expect(state.selectedSource?.id == Fixtures.shopify.id)
        #expect(state.cursor(.sources).selection == 2)
    }

    @Test func lostChangesReloadTheSources() {
        var state = Self.sourcesState()
        _ = Reducer.reduce(&state, .changes([], dropped: 3))
        #expect(Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(2))).contains(.load(.sources)))
    }

    // MARK: Navigation

    @Test func sShowsTheSourcesInPaneOneAndBack() {
        var state = Self.sourcesState()
        #expect(state.focus == .events)
        Fixtures.press([.character("s")], &state)
        #expect(state.focus == .sources)
        #expect(state.paneOne == .sources)
        #expect(Layout(size: state.size).visiblePanes(focus: state.focus, paneOne: state.paneOne) == [.sources, .events, .attempts, .retryQueue])
        // Tab cycles through pane 1's current view; 1 comes back to it.
        var seen: [Pane] = []
        for _ in 0..<4 {
            Fixtures.press([.tab], &state)
            seen.append(state.focus)
        }
        #expect(seen == [.events, .attempts, .retryQueue, .sources])
        Fixtures.press([.backTab], &state)
        #expect(state.focus == .retryQueue)
        Fixtures.press([.character("1")], &state)
        #expect(state.focus == .sources)
        // From another pane, s goes to the sources; from the sources, back to the endpoints.
        Fixtures.press([.character("2"), .character("s")], &state)
        #expect(state.focus == .sources)
        Fixtures.press([.character("s")], &state)
        #expect(state.focus == .endpoints)
        #expect(state.paneOne == .endpoints)
        Fixtures.press([.character("2"), .character("1")], &state)
        #expect(state.focus == .endpoints)
    }

    @Test func sourcesAndEndpointsKeepTheirOwnSelectionAndFilter() {
        var state = Self.sourcesState()
        Fixtures.press([.character("1"), .down, .down, .character("s"), .down], &state)
        #expect(state.cursor(.endpoints).selection == 2)
        #expect(state.cursor(.sources).selection == 1)
        #expect(state.selectedSource?.id == Fixtures.github.id)
        Fixtures.press([.character("/")] + Fixtures.typing("status:unverified") + [.enter], &state)
        #expect(state.visibleSources().map(\.id) == [Fixtures.legacy.id])
        #expect(state.filter(.endpoints).isEmpty)
        Fixtures.press([.escape, .character("/")] + Fixtures.typing("status:refusing") + [.enter], &state)
        #expect(state.visibleSources().map(\.id) == [Fixtures.github.id])
        Fixtures.press([.escape, .character("/")] + Fixtures.typing("acme") + [.enter], &state)
        #expect(state.visibleSources().map(\.id) == [Fixtures.shopify.id, Fixtures.partner.id])
    }

    @Test func endpointActionsExplainThemselvesOnTheSources() {
        for key in ["p", "R", "r"] {
            var state = Self.sourcesState()
            Fixtures.press([.character("s")], &state)
            #expect(Fixtures.press([.character(Character(key))], &state).isEmpty)
            #expect(state.modal == nil)
            #expect(state.flash?.kind == .info)
        }
    }

    @Test func theSourceTabAndTheEndpointsPaneFlagARefusingSource() {
        var state = Self.sourcesState(size: TerminalSize(columns: 80, rows: 24))
        Fixtures.press([.character("1")], &state)
        let endpoints = EndpointsPaneBuilder.build(state, layout: Layout(size: state.size))
        #expect(endpoints.badges.contains(Span("1 source refusing (s)", .error)))
        Fixtures.press([.character("s")], &state)
        let tabs = ScreenBuilder.tabs(state)
        #expect(tabs.map(\.label) == ["1 Sources", "2 Events", "3 Attempts", "4 Retry queue"])
        #expect(tabs[0].badge == "\(state.glyphs.failed)1")
        #expect(tabs[0].focused)
    }

    // MARK: Views

    @Test func rowsFlagUnverifiedAndRejectedAndNeverShowSecrets() {
        var state = Self.sourcesState()
        Fixtures.press([.character("s")], &state)
        let pane = SourcesPaneBuilder.build(state, layout: Layout(size: state.size))
        guard case .cells(let legacy) = pane.rows[2], case .cells(let stripe) = pane.rows[0], case .cells(let shopify) = pane.rows[3] else {
            Issue.record("expected cell rows")
            return
        }
        #expect(legacy[0] == Span("▲ UNVERIFIED", .warning))
        #expect(stripe[0] == Span("● stripe", .ok))
        #expect(stripe.contains(Span("3", .error)))
        #expect(shopify.contains(Span("0", .muted)))
        #expect(pane.badges.prefix(2) == [Span("1 refusing", .error), Span("1 unverified", .warning)])
        let text = render(state).plainText
        for source in Fixtures.sources {
            let secret = source.signingSecret.reveal()
            if !secret.isEmpty { #expect(!text.contains(secret)) }
        }
        #expect(text.contains("150k"))
    }

    @Test func enterOpensTheSourceDetailWithItsIngestURL() {
        var state = Self.sourcesState()
        Fixtures.press([.character("s"), .enter], &state)
        #expect(state.detail?.target == .source(id: Fixtures.stripe.id))
        let width = Layout(size: state.size).detailTextWidth
        var text = DetailContent.lines(for: .source(id: Fixtures.stripe.id), state: state, width: width)
            .map { $0.map(\.text).joined() }.joined(separator: "\n")
        #expect(text.contains("https://hooks.example.com/in/in_7Hq2LmX9pR4sT1vW8yZ3aB6c"))
        #expect(text.contains("no v1 signature matches (wrong secret or altered body)"))
        #expect(text.contains("30 days"))
        #expect(text.contains("received      1,204 events"))
        #expect(text.contains("still accepted until 2027-01-16 04:00:00Z"))
        #expect(text.contains("forwards to   billing"))
        #expect(!text.contains("whsec_stripe"))
        // Without a base URL the path alone shows; the none provider says it verifies nothing.
        state.ingestBaseURL = ""
        text = DetailContent.lines(for: .source(id: Fixtures.legacy.id), state: state, width: width)
            .map { $0.map(\.text).joined() }.joined(separator: "\n")
        #expect(text.contains("ingest URL    /in/in_NoNe000000000000000000x1"))
        #expect(text.contains("UNVERIFIED: accepts any request"))
        #expect(text.contains("none: its events reach no endpoint"))
        Fixtures.press([.escape], &state)
        #expect(state.detail == nil)
        #expect(state.focus == .sources)
    }

    @Test func ingestURLJoinsTheBaseWithoutDoubleSlashes() {
        #expect(Fixtures.stripe.ingestURL(base: "http://127.0.0.1:8080/") == "http://127.0.0.1:8080/in/in_7Hq2LmX9pR4sT1vW8yZ3aB6c")
        #expect(Fixtures.stripe.ingestURL(base: "") == "/in/in_7Hq2LmX9pR4sT1vW8yZ3aB6c")
    }

    @Test func eventsFromASourceNameIt() {
        let state = Self.sourcesState()
        let pane = EventsPaneBuilder.build(state, layout: Layout(size: state.size))
        #expect(pane.columns.map(\.title).contains("from"))
        guard case .cells(let fromSource) = pane.rows[1], case .cells(let fromAPI) = pane.rows[0], case .cells(let replay) = pane.rows[2] else {
            Issue.record("expected cell rows")
            return
        }
        #expect(fromSource.contains(Span("stripe-prod")))
        #expect(fromAPI.contains(Span("api", .muted)))
        #expect(replay.contains(Span("replay", .muted)))
        // Without any source event the column is left out.
        let plain = Fixtures.state()
        #expect(!EventsPaneBuilder.build(plain, layout: Layout(size: plain.size)).columns.map(\.title).contains("from"))
    }

    @Test func compactCountsFitTheColumn() {
        #expect(Format.compact(0) == "0")
        #expect(Format.compact(99_999) == "99,999")
        #expect(Format.compact(150_321) == "150k")
        #expect(Format.compact(1_250_000) == "1.2M")
        #expect(Format.compact(9_960_000) == "9M")
        #expect(Format.compact(123_456_789) == "123M")
        #expect(Format.compact(4_200_000_000) == "4G")
    }
}
