import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// Follow and freeze with "+N new", the events window, and the filter prompt.
@Suite struct ReducerFollowAndFilterTests {
    static func newEvent(_ number: Int, type: String = "order.created", tenant: TenantID = "default") -> Change {
        let event = Event(
            id: Fixtures.id("evt", 500 + number), tenantID: tenant, eventType: type, payload: Data("{}".utf8),
            createdAt: Fixtures.now)
        let delivery = Delivery(
            id: Fixtures.id("dlv", 5000 + number), tenantID: tenant, eventID: event.id, endpointID: Fixtures.billing.id,
            createdAt: Fixtures.now, updatedAt: Fixtures.now)
        return .eventPublished(event, deliveries: [delivery])
    }

    @Test func followingShowsNewEventsAtTheTop() {
        var state = Fixtures.state()
        let total = state.events.total
        let effects = Reducer.reduce(&state, .changes([Self.newEvent(1), Self.newEvent(2)], dropped: 0))
        #expect(state.events.rows.first?.id == Fixtures.id("evt", 502))
        #expect(state.events.total == total + 2)
        #expect(state.cursor(.events).selection == 0)
        #expect(state.inspected?.id == Fixtures.id("evt", 502))
        #expect(effects == [.load(.eventDetail(EventRef(id: Fixtures.id("evt", 502), tenantID: "default")))])
        #expect(state.tallies[Fixtures.id("evt", 502)]?.total == 1)
    }

    @Test func movingFreezesAndNewEventsOnlyCount() {
        var state = Fixtures.state()
        Fixtures.press([.down], &state)
        #expect(!state.events.following)
        let rows = state.events.rows
        _ = Reducer.reduce(&state, .changes((1...4).map { Self.newEvent($0) }, dropped: 0))
        #expect(state.events.unseen == 4)
        #expect(state.events.rows == rows)
        #expect(state.cursor(.events).selection == 1)
        #expect(state.cursor(.events).selectedID == Fixtures.events[1].id)
        let frame = render(state)
        #expect((0..<frame.height).contains { frame.text(ofRow: $0).contains("+4 new") })
    }

    @Test func fFreezesAndFollowsAgainFromTheNewest() {
        var state = Fixtures.state()
        Fixtures.press([.character("f")], &state)
        #expect(!state.events.following)
        _ = Reducer.reduce(&state, .changes([Self.newEvent(1)], dropped: 0))
        #expect(state.events.unseen == 1)
        Fixtures.press([.down, .down], &state)
        let effects = Fixtures.press([.character("f")], &state)
        #expect(state.events.following)
        #expect(state.events.unseen == 0)
        #expect(state.cursor(.events).selection == 0)
        guard case .load(.events(let request)) = effects.first else {
            Issue.record("expected a window load, got \(effects)")
            return
        }
        #expect(request.paneOffset == 0 && request.storeOffset == 0)
    }

    @Test func frozenWindowsSkipTheUnseenEvents() {
        var state = Fixtures.state()
        Fixtures.press([.down], &state)
        _ = Reducer.reduce(&state, .changes((1...7).map { Self.newEvent($0) }, dropped: 0))
        state.sync[.events].lastLoaded = Fixtures.now.addingTimeInterval(-60)
        let effects = Reducer.reduce(&state, .tick(Fixtures.now))
        let request = effects.compactMap { effect -> EventsWindowRequest? in
            if case .load(.events(let request)) = effect { return request }
            return nil
        }.first
        #expect(request?.paneOffset == 0)
        #expect(request?.storeOffset == 7)
    }

    @Test func scrollingFarAsksForTheWindowAroundTheSelection() {
        var state = Fixtures.state()
        let effects = Fixtures.press([.character("G")], &state)
        let total = state.events.total
        #expect(state.cursor(.events).selection == total - 1)
        guard case .load(.events(let request)) = effects.first else {
            Issue.record("expected a window load, got \(effects)")
            return
        }
        #expect(request.paneOffset == total - EventsState.windowLimit)
        #expect(request.limit == EventsState.windowLimit)
        // Only one window load at a time: moving on waits for it.
        #expect(Fixtures.press([.up], &state).isEmpty)
        #expect(state.events.pendingOffset == total - EventsState.windowLimit)
        // The answer lands at its offset; the waiting request goes out.
        let page = Page(items: Fixtures.events, total: total)
        let after = Reducer.reduce(&state, .loaded(.events(request, page)))
        #expect(state.events.windowStart == request.paneOffset)
        #expect(state.cursor(.events).selection == total - 2)
        #expect(after.contains { if case .load(.events) = $0 { true } else { false } })
        // Back at the top, the first window is asked for again.
        _ = Reducer.reduce(&state, .loaded(.events(request, page)))
        let top = Fixtures.press([.character("g")], &state)
        #expect(top.contains { if case .load(.events(let next)) = $0 { next.paneOffset == 0 } else { false } })
    }

    @Test func rowsNotLoadedYetRenderAsPlaceholders() {
        var state = Fixtures.state()
        Fixtures.press([.character("G")], &state)
        let frame = render(state)
        #expect((0..<frame.height).contains { frame.text(ofRow: $0).contains("1,204,311/1,204,311") })
    }

    @Test func filterPromptEditsLiveAndEscClears() {
        var state = Fixtures.state()
        Fixtures.press([.character("1"), .character("/")] + Fixtures.typing("crmx"), &state)
        #expect(state.visibleEndpoints().isEmpty)
        Fixtures.press([.backspace], &state)
        #expect(state.modal == .filter(FilterPrompt(pane: .endpoints, text: "crm")))
        #expect(state.visibleEndpoints().map(\.name) == ["crm"])
        Fixtures.press([.escape], &state)
        #expect(state.modal == nil)
        #expect(state.filters[.endpoints] == nil)
        #expect(state.visibleEndpoints().count == 5)
    }

    @Test func enterKeepsTheFilterAndEscInThePaneClearsIt() {
        var state = Fixtures.state()
        Fixtures.press([.character("1"), .character("/")] + Fixtures.typing("status:disabled") + [.enter], &state)
        #expect(state.modal == nil)
        #expect(state.visibleEndpoints().map(\.name) == ["analytics"])
        Fixtures.press([.control("u")], &state)
        #expect(state.visibleEndpoints().count == 1)
        Fixtures.press([.escape], &state)
        #expect(state.filters[.endpoints] == nil)
    }

    @Test func promptEditingKeys() {
        var state = Fixtures.state()
        Fixtures.press([.character("/")] + Fixtures.typing("type:order.* paid") + [.control("w")], &state)
        #expect(state.modal == .filter(FilterPrompt(pane: .events, text: "type:order.* ")))
        Fixtures.press([.control("u")], &state)
        #expect(state.modal == .filter(FilterPrompt(pane: .events, text: "")))
        Fixtures.press([.backspace, .backspace], &state)
        #expect(state.modal == .filter(FilterPrompt(pane: .events, text: "")))
    }

    @Test func eventFiltersGoToTheStoreFreeTextAndTimeIncluded() {
        var state = Fixtures.state()
        let effects = Fixtures.press([.character("/")] + Fixtures.typing("type:order.paid"), &state)
        #expect(effects.isEmpty)  // a window load is already under way for "type:order.pai"
        let first = Reducer.reduce(&state, .loaded(.events(
            EventsWindowRequest(id: 1, paneOffset: 0, storeOffset: 0, limit: 100, eventType: "order.p"),
            Page(items: [], total: 0))))
        guard case .load(.events(let request)) = first.first else {
            Issue.record("expected a window load, got \(first)")
            return
        }
        #expect(request.eventType == "order.paid")
        #expect(request.query.tenant == nil)

        var search = Fixtures.state()
        Fixtures.press([.character("/")] + Fixtures.typing("Refunded status:fail since:15m"), &search)
        let answered = Reducer.reduce(&search, .loaded(.events(
            EventsWindowRequest(id: 1, paneOffset: 0, storeOffset: 0, limit: 100, eventType: nil, text: "r"),
            Page(items: [], total: 0))))
        guard case .load(.events(let searched)) = answered.first else {
            Issue.record("expected a window load, got \(answered)")
            return
        }
        #expect(searched.text == "refunded")
        #expect(searched.deliveryStatus == .failed)
        #expect(searched.since == search.now.addingTimeInterval(-900))
        #expect(searched.query.text == "refunded" && searched.query.deliveryStatus == .failed && searched.query.status == nil)
        // The store's answer is the pane: nothing is filtered in memory.
        _ = Reducer.reduce(&search, .loaded(.events(searched, Page(items: [Fixtures.events[0]], total: 4_321))))
        #expect(search.eventsListing().count == 4_321)
        #expect(search.eventsListing().event(at: 0)?.id == Fixtures.events[0].id)
    }

    @Test func filtersOfOtherPanes() {
        var state = Fixtures.state()
        Fixtures.press([.character("4"), .character("/")] + Fixtures.typing("endpoint:crm"), &state)
        #expect(state.visibleRetryQueue().count == 2)
        Fixtures.press([.control("u")] + Fixtures.typing("status:paused"), &state)
        #expect(state.visibleRetryQueue().map(\.state) == [.paused])
        var attempts = Fixtures.state()
        Fixtures.press([.character("3"), .character("/")] + Fixtures.typing("503"), &attempts)
        #expect(attempts.attemptRows().count == 3)
        #expect(attempts.attemptRows().allSatisfy { row in
            if case .delivery(let delivery) = row { return delivery.endpointID == Fixtures.crm.id }
            return true
        })
    }
}
