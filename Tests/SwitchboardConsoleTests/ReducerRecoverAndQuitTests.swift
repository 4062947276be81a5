import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// `B` recovers an endpoint's failed deliveries since a typed time once its name is typed;
/// `q` asks first when it would stop a dispatcher with deliveries queued or in flight.
@Suite struct ReducerRecoverAndQuitTests {
    @Test func bAsksForATimeThenTheNameThenRecovers() {
        var state = Fixtures.state()
        Fixtures.selectEndpoint(Fixtures.crm.id, &state)
        Fixtures.press([.character("B")], &state)
        guard case .recover(let first) = state.modal else {
            Issue.record("expected the recover prompt, got \(String(describing: state.modal))")
            return
        }
        #expect(first.sinceText == "1h" && first.since == nil)
        Fixtures.press([.control("u")] + Fixtures.typing("15m") + [.enter], &state)
        guard case .recover(let second) = state.modal else {
            Issue.record("expected the name to be asked next")
            return
        }
        #expect(second.since == Fixtures.now.addingTimeInterval(-900))
        #expect(render(state).plainText.contains("Type the endpoint's name to confirm"))
        Fixtures.press(Fixtures.typing("CRM") + [.enter], &state)
        guard case .recover(let wrong) = state.modal else {
            Issue.record("a wrong name must not recover")
            return
        }
        #expect(wrong.error?.contains("not the endpoint's name") == true)
        Fixtures.press([.control("u")] + Fixtures.typing("crm"), &state)
        let effects = Fixtures.press([.enter], &state)
        #expect(effects == [.perform(.recover(endpointID: Fixtures.crm.id, tenantID: "default", name: "crm", since: Fixtures.now.addingTimeInterval(-900)))])
        #expect(state.modal == nil)
        _ = Reducer.reduce(&state, .completed(.recovered(endpointName: "crm", since: Fixtures.now.addingTimeInterval(-900), count: 41)))
        #expect(state.flash?.message == "Recovered 41 failed deliveries of crm: they are due now")
    }

    @Test func aBadTimeIsShownAsAnErrorNotIgnored() {
        var state = Fixtures.state()
        Fixtures.selectEndpoint(Fixtures.crm.id, &state)
        Fixtures.press([.character("B"), .control("u")] + Fixtures.typing("yesterday") + [.enter], &state)
        guard case .recover(let prompt) = state.modal else {
            Issue.record("expected the prompt to stay open")
            return
        }
        #expect(prompt.since == nil)
        #expect(prompt.error?.contains("\"yesterday\" is not a time") == true)
        #expect(render(state).plainText.contains("is not a time"))
    }

    @Test func timeTermsParseSpansAndDates() throws {
        let utc = Fixtures.utc
        #expect(try TimeTerm.parse("15m", now: Fixtures.now, timeZone: utc).get() == Fixtures.now.addingTimeInterval(-900))
        #expect(try TimeTerm.parse("2h", now: Fixtures.now, timeZone: utc).get() == Fixtures.now.addingTimeInterval(-7200))
        #expect(try TimeTerm.parse("2027-01-15T07:00", now: Fixtures.now, timeZone: utc).get() == Fixtures.now.addingTimeInterval(-3600))
        #expect(try TimeTerm.parse("2027-01-15T07:00:00Z", now: Fixtures.now, timeZone: .current).get() == Fixtures.now.addingTimeInterval(-3600))
        for bad in ["", "15", "m", "-3h", "2027-13-45", "now"] {
            #expect((try? TimeTerm.parse(bad, now: Fixtures.now, timeZone: utc).get()) == nil, "\(bad)")
        }
    }

    @Test func qAsksFirstWhenItStopsADispatcherWithWorkLeft() {
        var state = Fixtures.state()
        state.stopsDispatcherOnQuit = true
        #expect(Fixtures.press([.character("q")], &state).isEmpty)
        #expect(!state.isQuitting)
        guard case .confirm(let dialog) = state.modal else {
            Issue.record("expected a question before quitting")
            return
        }
        #expect(dialog.lines.joined().contains("3 deliveries queued, 1 in flight"))
        #expect(Fixtures.confirm(&state) == [.quit])
        #expect(state.isQuitting)
    }

    @Test func qQuitsAtOnceWhenNothingWaitsOrNoDispatcherStops() {
        var idle = Fixtures.state()
        idle.stopsDispatcherOnQuit = true
        idle.gauges = StoreGauges(queueDepth: 0, pausedDeliveries: 0, inFlightDeliveries: 0, enabledEndpoints: 4, failingEndpoints: 0, disabledEndpoints: 0)
        #expect(Fixtures.press([.character("q")], &idle) == [.quit])
        var attached = Fixtures.state()
        #expect(Fixtures.press([.character("q")], &attached) == [.quit])
    }
}
