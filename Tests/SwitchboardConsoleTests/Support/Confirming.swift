import Foundation

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
