import Foundation
import SwitchboardCore

@testable import SwitchboardConsole

extension Fixtures {
    /// Lets the open confirmation's key delay pass (as the runtime's clock would), then
    /// presses `y` and Enter; returns the effects of Enter.
    @discardableResult
    static func confirm(_ state: inout ConsoleState) -> [Effect] {
        waitOutConfirmDelay(&state)
        return press([.character("y"), .enter], &state)
    }

    /// Moves the clock past the open confirmation's key delay.
    static func waitOutConfirmDelay(_ state: inout ConsoleState) {
        state.now = state.now.addingTimeInterval(Confirmation.armDelay + 0.01)
    }
}

extension Fixtures {
    /// Focuses pane 1 and moves down to the endpoint `id` (the pane sorts by health).
    static func selectEndpoint(_ id: String, _ state: inout ConsoleState) {
        press([.character("1"), .character("g")], &state)
        for _ in 0..<state.endpoints.count where state.selectedEndpoint?.id != id { press([.down], &state) }
    }
}

extension Fixtures {
    /// The sample retry queue grouped by endpoint, as the store counts it.
    static var queueGroups: [QueueGroup] {
        Dictionary(grouping: retryQueue, by: \.endpointID).map { id, rows in
            QueueGroup(
                endpointID: id, tenantID: rows[0].tenantID, url: endpoints.first { $0.id == id }?.url ?? "",
                waiting: rows.count { $0.state == .pending }, paused: rows.count { $0.state == .paused },
                scheduled: rows.count { $0.state == .scheduled }, nextDue: rows.compactMap(\.nextAttemptAt).min())
        }.sorted { ($0.total, $1.endpointID) > ($1.total, $0.endpointID) }
    }

    /// Focuses pane 4, opens endpoint `id`'s queue with Enter and answers its load.
    static func openQueue(_ id: String, _ state: inout ConsoleState) {
        state.queueGroups = queueGroups
        press([.character("4"), .character("g")], &state)
        for _ in 0..<state.queueGroups.count where state.selectedQueueGroup?.endpointID != id { press([.down], &state) }
        press([.enter], &state)
        _ = Reducer.reduce(&state, .loaded(.retryQueue(endpointID: id, retryQueue.filter { $0.endpointID == id })))
    }
}
