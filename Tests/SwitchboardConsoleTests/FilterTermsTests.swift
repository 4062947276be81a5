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
