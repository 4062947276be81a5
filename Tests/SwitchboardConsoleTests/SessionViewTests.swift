import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// The header's session and connection, and the first start's admin key panel.
@Suite struct SessionViewTests {
    @Test func theHeaderNamesTheSessionAndItsConnection() {
        var state = Fixtures.state(size: TerminalSize(columns: 160, rows: 40))
        state.session = SessionStatus(target: "http://10.0.0.7:8080", attached: true, serverVersion: "1.4.0")
        #expect(render(state).text(ofRow: 0).contains("attached http://10.0.0.7:8080 v1.4.0"))
        state.session?.connection = .connecting(attempt: 3)
        #expect(render(state).text(ofRow: 0).contains("CONNECTING #3"))
        state.session?.connection = .lost(reason: "connection refused", since: Fixtures.at(12))
        let header = render(state).text(ofRow: 0)
        #expect(header.contains("LOST 12s ago") && header.contains("connection refused"))
    }

    @Test func theAdminKeyIsShownOnceInADismissablePanel() {
        var state = Fixtures.state(size: TerminalSize(columns: 100, rows: 30))
        state.modal = .adminKey(AdminKeyPanel(key: "sbk_admin_0123456789abcdef", file: "/data/admin.key"))
        let text = render(state).plainText
        #expect(text.contains("sbk_admin_0123456789abcdef") && text.contains("/data/admin.key (mode 0600"))
        Golden.check(render(state), "admin-key-100x30")
        #expect(Fixtures.press([.character("y")], &state) == [.copy("sbk_admin_0123456789abcdef")])
        Fixtures.press([.character("j"), .character("q")], &state)  // other keys leave it up
        #expect(state.modal != nil && !state.isQuitting)
        Fixtures.press([.enter], &state)
        #expect(state.modal == nil)
        #expect(!render(state).plainText.contains("sbk_admin_0123456789abcdef"))
    }

    @Test func aConnectionThatComesBackReloadsEverythingAndALossIsShownUntilThen() {
        var state = Fixtures.state(size: TerminalSize(columns: 160, rows: 40))
        state.session = SessionStatus(target: "http://10.0.0.7:8080", attached: true, serverVersion: "1.4.0")
        _ = Reducer.reduce(&state, .connection(.lost(reason: "the server closed the stream", since: Fixtures.now), resumed: false))
        #expect(render(state).text(ofRow: 0).contains("LOST"))
        #expect(!state.sync.isDue(.endpoints, at: Fixtures.now), "a loss alone asks for nothing")
        let effects = Reducer.reduce(&state, .connection(.live, resumed: true))
        #expect(render(state).text(ofRow: 0).contains("attached http://10.0.0.7:8080"))
        let loads = Set(effects.compactMap { if case .load(let request) = $0 { request.kind } else { nil } })
        #expect(loads.isSuperset(of: [.endpoints, .sources, .gauges, .health, .events]), "everything is loaded again after a reconnection")
    }

    @Test func aReadOnlyConsoleRefusesEveryActionKey() {
        var state = Fixtures.state(readOnly: true)
        for key in KeyBindings.all where key.mutates {
            for pane in Pane.allCases {
                state.focus = pane
                state.modal = nil
                let effects = Reducer.reduce(&state, .key(key.keys[0]))
                #expect(!effects.contains { if case .perform = $0 { true } else { false } }, "\(key.label) performed in a read-only console")
                if case .confirm = state.modal { Issue.record("\(key.label) opened a confirmation in a read-only console") }
            }
        }
    }

    @Test func aClusterHeaderListsTheNodesWithHeartbeatAgeAndInFlight() {
        var state = Fixtures.state(size: TerminalSize(columns: 200, rows: 40))
        _ = Reducer.reduce(&state, .loaded(.nodes([
            ClusterNodeInfo(id: "node_web1_k3x9q2", host: "web1", version: "0.1.0", startedAt: Fixtures.at(600), lastSeenAt: Fixtures.at(0.4), inFlight: 12, leader: true),
            ClusterNodeInfo(id: "node_web2_p7r2m1", host: "web2", version: "0.1.0", startedAt: Fixtures.at(300), lastSeenAt: Fixtures.at(45), inFlight: 0, leader: false),
        ])))
        let header = render(state).text(ofRow: 0)
        #expect(header.contains("nodes 2: k3x9q2* 0.4s 12 · p7r2m1 45s ago 0"), "\(header)")
        _ = Reducer.reduce(&state, .loaded(.nodes(nil)))
        #expect(!render(state).text(ofRow: 0).contains("nodes"))
    }

    @Test func onAClusterTheAttemptsPaneNamesTheNodeOfEachAttempt() {
        var state = Fixtures.state(size: TerminalSize(columns: 200, rows: 40))
        #expect(!render(state).plainText.contains(" node "), "a single-node store shows no node column")
        guard var detail = state.inspectedDetail, !detail.attempts.isEmpty else {
            Issue.record("the fixture has no attempts")
            return
        }
        detail.attempts = detail.attempts.map { var attempt = $0; attempt.node = "node_web2_p7r2m1"; return attempt }
        state.inspectedDetail = detail
        let text = render(state).plainText
        #expect(text.contains("node") && text.contains("p7r2m1"))
    }
}
