import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// The filter's terms: every field parsed, a whole id recognised, and a term it cannot use
/// shown as an error in the prompt (which then stays open) rather than ignored.
@Suite struct FilterTermsTests {
    @Test func fieldsAreParsed() {
        let query = FilterQuery("type:order.* status:retrying endpoint:crm source:stripe since:15m until:2026-12-01T10:00 timeout")
        #expect(query.eventType == "order.*" && query.status == "retrying" && query.endpoint == "crm" && query.source == "stripe")
        #expect(query.since == "15m" && query.until == "2026-12-01T10:00")
        #expect(query.terms == ["timeout"])
        #expect(query.errors(in: .events).isEmpty)
    }

    @Test func aWholeIdAloneIsAnIdToJumpTo() {
        for id in [Fixtures.id("evt", 7), Fixtures.id("dlv", 7), Fixtures.id("att", 7), Fixtures.id("ep", 7)] {
            #expect(FilterQuery(id).id == id)
            #expect(FilterQuery(" \(id) ").terms.isEmpty)
        }
        #expect(FilterQuery("evt_").id == nil)
        #expect(FilterQuery("order \(Fixtures.id("evt", 7))").id == nil)
    }

    @Test func badTermsAreErrors() {
        let query = FilterQuery("status:nope since:yesterday colour:red type:")
        let errors = query.errors(in: .events)
        #expect(errors.count == 4)
        #expect(errors.contains { $0.contains("status:nope is not a status") })
        #expect(errors.contains { $0.contains("since:") && $0.contains("not a time") })
        #expect(errors.contains { $0.contains("colour: is not a filter field") })
        #expect(errors.contains { $0.contains("type: needs") })
    }

    @Test func theErrorShowsInThePromptAndEnterKeepsItOpen() {
        var state = Fixtures.state()
        Fixtures.press([.character("/")] + Fixtures.typing("status:nope") + [.enter], &state)
        guard case .filter = state.modal else {
            Issue.record("a filter with an error must stay open on Enter")
            return
        }
        let footer = render(state).text(ofRow: state.size.rows - 1)
        #expect(footer.contains("status:nope is not a status (failed, retrying, partial, delivered, queued)"))
        Fixtures.press(Array(repeating: .backspace, count: 4) + Fixtures.typing("failed") + [.enter], &state)
        #expect(state.modal == nil)
        #expect(state.filter(.events).text == "status:failed")
    }

    @Test func theFilterAndTheStoresMatchCountStayInThePaneTitle() {
        var state = Fixtures.state()
        Fixtures.press([.character("/")] + Fixtures.typing("type:order.paid") + [.enter], &state)
        let request = EventsWindowRequest(id: state.events.latestRequestID, paneOffset: 0, storeOffset: 0, limit: 100, eventType: "order.paid")
        _ = Reducer.reduce(&state, .loaded(.events(request, Page(items: [Fixtures.events[1]], total: 48_213))))
        let title = render(state).text(ofRow: 1)
        #expect(title.contains("/type:order.paid"))
        #expect(title.contains("48213 matches") || title.contains("48,213"))
    }

    @Test func goldenFilterError() {
        var state = Fixtures.state(size: TerminalSize(columns: 120, rows: 40))
        Fixtures.press([.character("/")] + Fixtures.typing("status:nope since:later"), &state)
        Golden.check(render(state), "filter-error-120x40")
    }
}

/// A whole id pasted (or typed, then Enter) into the filter is looked up in the store and
/// opened, wherever it is.
@Suite struct LocateTests {
    static let farBack = EventRef(id: Fixtures.id("evt", 50_000), tenantID: "acme")

    @Test func aPastedIdIsLookedUpAndOpened() {
        var state = Fixtures.state()
        Fixtures.press([.character("/")], &state)
        let effects = Reducer.reduce(&state, .paste(Self.farBack.id))
        #expect(effects == [.load(.locate(Self.farBack.id))])
        let opened = Reducer.reduce(&state, .loaded(.located(Self.farBack.id, .event(Self.farBack))))
        #expect(state.modal == nil)
        #expect(state.detail?.target == .event(Self.farBack))
        #expect(state.inspected == Self.farBack)
        #expect(opened.contains(.load(.eventDetail(Self.farBack))))
        #expect(state.filter(.events).isEmpty)
    }

    @Test func enterOnATypedIdLooksItUp() {
        var state = Fixtures.state()
        let effects = Fixtures.press([.character("/")] + Fixtures.typing(Fixtures.crm.id) + [.enter], &state)
        #expect(effects == [.load(.locate(Fixtures.crm.id))])
        _ = Reducer.reduce(&state, .loaded(.located(Fixtures.crm.id, .endpoint(id: Fixtures.crm.id, tenantID: "default"))))
        #expect(state.focus == .endpoints && state.selectedEndpoint?.id == Fixtures.crm.id)
    }

    @Test func anAttemptIdOpensTheAttempt() {
        var state = Fixtures.state()
        let attempt = Fixtures.detail(for: Fixtures.events[0]).attempts[0]
        _ = Reducer.reduce(&state, .loaded(.located(attempt.id, .attempt(EventRef(id: attempt.eventID, tenantID: "default"), deliveryID: attempt.deliveryID, attemptID: attempt.id))))
        #expect(state.detail?.target == .attempt(id: attempt.id, event: EventRef(id: attempt.eventID, tenantID: "default")))
    }

    @Test func anUnknownIdSaysSo() {
        var state = Fixtures.state()
        Fixtures.press([.character("/")], &state)
        _ = Reducer.reduce(&state, .paste(Self.farBack.id))
        _ = Reducer.reduce(&state, .loaded(.failed(.locate(Self.farBack.id), "no event \(Self.farBack.id)")))
        #expect(state.flash?.kind == .error)
        #expect(state.flash?.message == "\(Self.farBack.id) not found: no event \(Self.farBack.id)")
    }
}
