import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// The failures view (`F`), the retry queue grouped by endpoint (Enter opens one endpoint's
/// queue, Esc goes back) and the log view (`l`).
@Suite struct ReducerViewsTests {
    /// crm's delivery retrying inside a QUEUED event, and analytics's failed for good.
    static var failures: [FailureRow] {
        let queued = Fixtures.deliveries(for: Fixtures.events[0])[1]  // crm, scheduled after 2 attempts
        var failed = Fixtures.deliveries(for: Fixtures.events[4])[2]
        failed.updatedAt = Fixtures.at(3)
        return [
            FailureRow(delivery: failed, eventType: Fixtures.events[4].eventType, endpointURL: Fixtures.analytics.url, lastError: nil, lastStatusCode: 503, attemptCount: 1, nextAttemptAt: nil),
            FailureRow(delivery: queued, eventType: Fixtures.events[0].eventType, endpointURL: Fixtures.crm.url, lastError: "timeout: no response within 10s", lastStatusCode: nil, attemptCount: 2, nextAttemptAt: Fixtures.now.addingTimeInterval(252)),
        ]
    }

    static func failuresState(size: TerminalSize = TerminalSize(columns: 120, rows: 40)) -> ConsoleState {
        var state = Fixtures.state(size: size)
        let effects = Fixtures.press([.character("F")], &state)
        #expect(effects.contains(.load(.failures(limit: Reducer.failuresLimit))))
        _ = Reducer.reduce(&state, .loaded(.failures(failures)))
        return state
    }

    @Test func fSwitchesPaneTwoToTheFailuresAndBack() {
        var state = Self.failuresState(size: TerminalSize(columns: 170, rows: 40))
        #expect(state.focus == .failures && state.paneTwo == .failures)
        #expect(state.panes == [.endpoints, .failures, .attempts, .retryQueue])
        let text = render(state).plainText
        #expect(text.contains("2 Failures"))
        #expect(text.contains("↺ retrying 4m12s") && text.contains("timeout: no"))
        #expect(text.contains("✗ failed") && text.contains("HTTP 503"))
        Fixtures.press([.character("F")], &state)
        #expect(state.focus == .events && state.paneTwo == .events)
    }

    @Test func aFailureInsideAQueuedEventIsListedAndInspected() {
        var state = Self.failuresState()
        Fixtures.press([.down], &state)
        #expect(state.selectedFailure?.delivery.eventID == Fixtures.events[0].id)
        #expect(state.inspected?.id == Fixtures.events[0].id)
        Fixtures.press([.character("r")], &state)
        guard case .confirm(let dialog) = state.modal else {
            Issue.record("r on a failure retries its delivery after a confirmation")
            return
        }
        #expect(dialog.action == .retryDelivery(id: Self.failures[1].delivery.id, tenantID: "default", endpointName: "crm"))
        Fixtures.press([.escape], &state)
        Fixtures.waitOutConfirmDelay(&state)
        Fixtures.press([.escape, .enter], &state)
        #expect(state.detail?.target == .delivery(id: Self.failures[1].delivery.id, event: EventRef(id: Fixtures.events[0].id, tenantID: "default")))
    }

    @Test func theRetryQueueListsEndpointsLargestFirstAndEnterOpensOne() {
        var state = Fixtures.state()
        Fixtures.press([.character("4")], &state)
        #expect(state.visibleQueueGroups().map(\.endpointID) == [Fixtures.crm.id, Fixtures.analytics.id, Fixtures.warehouse.id])
        let text = render(state).plainText
        #expect(text.contains("by endpoint"))
        let effects = Fixtures.press([.enter], &state)
        #expect(effects == [.load(.retryQueue(endpointID: Fixtures.crm.id, tenantID: "default", limit: Reducer.retryQueueLimit))])
        _ = Reducer.reduce(&state, .loaded(.retryQueue(endpointID: Fixtures.crm.id, Array(Fixtures.retryQueue.prefix(2)))))
        #expect(state.selectedRetryDelivery?.id == Fixtures.retryQueue[0].id)
        #expect(render(state).plainText.contains("Esc: all endpoints"))
        Fixtures.press([.escape], &state)
        #expect(state.queueEndpoint == nil)
        #expect(state.selectedQueueGroup?.endpointID == Fixtures.crm.id)
    }

    @Test func aQueueGroupCountsAMillionWaiting() {
        var state = Fixtures.state()
        state.queueGroups = [QueueGroup(endpointID: Fixtures.crm.id, tenantID: "default", url: Fixtures.crm.url, waiting: 1_000_000, paused: 41_000, scheduled: 12, nextDue: Fixtures.now.addingTimeInterval(3))]
        Fixtures.press([.character("4")], &state)
        let row = render(state).plainText.split(separator: "\n").first { $0.contains("crm") && $0.contains("1.0M") }
        #expect(row?.contains("41,000") == true)
    }

    @Test func lShowsTheLogWarningsFirst() {
        var state = Fixtures.state(size: TerminalSize(columns: 170, rows: 40))
        #expect(Fixtures.press([.character("l")], &state).contains(.load(.logs(limit: Reducer.logLimit))))
        _ = Reducer.reduce(&state, .loaded(.logs([
            LogRow(at: Fixtures.at(4), level: .error, label: "switchboard.dispatcher", message: "delivery to crm failed: 503"),
            LogRow(at: Fixtures.at(2), level: .info, label: "switchboard.api", message: "listening on 127.0.0.1:8080"),
        ])))
        #expect(state.focus == .logs && state.paneFour == .logs)
        let text = render(state).plainText
        #expect(text.contains("4 Log") && text.contains("delivery to crm failed: 503") && text.contains("1 warnings/errors"))
        Fixtures.press([.character("l")], &state)
        #expect(state.paneFour == .retryQueue)
    }

    @Test func goldenFailuresAt120x40() {
        Golden.check(render(Self.failuresState()), "failures-120x40")
    }

    @Test func goldenQueueGroupsAt80x24() {
        var state = Fixtures.state(size: TerminalSize(columns: 80, rows: 24))
        Fixtures.press([.character("4")], &state)
        Golden.check(render(state), "queue-groups-80x24")
    }

    @Test func goldenRetryOrReplayAt100x30() {
        var state = Fixtures.state(size: TerminalSize(columns: 100, rows: 30))
        Fixtures.press([.down, .down, .down], &state)
        Fixtures.loadInspected(&state)
        Fixtures.press([.character("r")], &state)
        Golden.check(render(state), "retry-or-replay-100x30")
    }
}
