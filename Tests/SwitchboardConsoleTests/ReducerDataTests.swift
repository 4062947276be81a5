import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// Ticks schedule loads; feed changes and loaded data update the state.
@Suite struct ReducerDataTests {
    @Test func theFirstTickLoadsEverything() {
        var state = ConsoleState(size: TerminalSize(columns: 120, rows: 40), now: Fixtures.now)
        let effects = Reducer.reduce(&state, .tick(Fixtures.now))
        #expect(effects.contains(.load(.endpoints)))
        #expect(effects.contains(.load(.health)))
        #expect(effects.contains(.load(.gauges)))
        #expect(effects.contains(.load(.queueGroups)))
        #expect(effects.contains { if case .load(.events(let request)) = $0 { request.paneOffset == 0 && request.query.tenant == nil } else { false } })
        // Nothing is asked twice while loads are under way.
        #expect(Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(5))).isEmpty)
    }

    @Test func changesMakeDataStaleAndTheNextTickReloadsIt() {
        var state = Fixtures.state()
        #expect(Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(0.5))).allSatisfy { $0 == .load(.health) })
        let attempt = Fixtures.detail(for: Fixtures.events[0]).attempts[0]
        _ = Reducer.reduce(&state, .changes([.attemptRecorded(attempt, delivery: .failed)], dropped: 0))
        let effects = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(1.5)))
        #expect(effects.contains(.load(.queueGroups)))
        #expect(effects.contains(.load(.gauges)))
        #expect(effects.contains(.load(.eventDetail(state.inspected!))))
        #expect(state.tallies[attempt.eventID]?.states[attempt.deliveryID] == .failed)
    }

    @Test func lostChangesReloadEverything() {
        var state = Fixtures.state()
        _ = Reducer.reduce(&state, .changes([], dropped: 12))
        #expect(state.droppedChanges == 12)
        let effects = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(2)))
        #expect(effects.contains(.load(.endpoints)))
        #expect(effects.contains { if case .load(.events) = $0 { true } else { false } })
    }

    @Test func statusAndEndpointChangesApplyAtOnce() {
        var state = Fixtures.state()
        let event = Fixtures.events[0]
        _ = Reducer.reduce(&state, .changes([
            .eventStatusChanged(EventStatusChange(eventID: event.id, tenantID: event.tenantID, status: .delivered)),
            .endpointDeleted(id: Fixtures.cafe.id, tenantID: "acme"),
        ], dropped: 0))
        #expect(state.events.rows[0].status == .delivered)
        #expect(state.inspectedDetail?.event.status == .delivered)
        #expect(state.endpoint(id: Fixtures.cafe.id) == nil)
        var paused = Fixtures.crm
        paused.enabled = false
        _ = Reducer.reduce(&state, .changes([.endpointChanged(paused)], dropped: 0))
        #expect(EndpointStatus(state.endpoint(id: Fixtures.crm.id)!) == .disabled)
    }

    @Test func shownEventsWithoutTalliesAreAskedFor() {
        var state = Fixtures.state()
        state.tallies = [:]
        let effects = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(0.1)))
        guard let refs = effects.compactMap({ effect -> [EventRef]? in
            if case .load(.tallies(let refs)) = effect { return refs }
            return nil
        }).first else {
            Issue.record("expected a tallies load, got \(effects)")
            return
        }
        #expect(refs.count == Reducer.tallyBatch || refs.count == Layout(size: state.size).listHeight(for: .events))
        #expect(refs.first?.id == Fixtures.events[0].id)
        let tallies = Dictionary(uniqueKeysWithValues: refs.map { ($0.id, DeliveryTally([])) })
        _ = Reducer.reduce(&state, .loaded(.tallies(tallies, requested: refs)))
        #expect(state.talliesRequested.isEmpty)
        #expect(state.tallies.count == refs.count)
    }

    @Test func loadFailuresShowInThePane() {
        var state = ConsoleState(size: TerminalSize(columns: 120, rows: 40), now: Fixtures.now)
        _ = Reducer.reduce(&state, .tick(Fixtures.now))
        _ = Reducer.reduce(&state, .loaded(.failed(.endpoints, "the store is unavailable; try again")))
        let frame = render(state)
        #expect((0..<frame.height).contains { frame.text(ofRow: $0).contains("Could not load endpoints") })
    }

    @Test func windowAnswersForAnOldFilterAreDropped() {
        var state = Fixtures.state()
        Fixtures.press([.character("/")] + Fixtures.typing("type:order.paid") + [.enter], &state)
        let stale = EventsWindowRequest(id: 9, paneOffset: 0, storeOffset: 0, limit: 100, eventType: "order.created")
        _ = Reducer.reduce(&state, .loaded(.events(stale, Page(items: [Fixtures.events[0]], total: 1))))
        #expect(state.events.rows.count == Fixtures.events.count)
    }
}
