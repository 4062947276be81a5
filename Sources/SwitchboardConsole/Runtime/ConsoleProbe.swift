import Foundation
import Logging
import SwitchboardCore

/// Measures the console's reaction times without a terminal, for `switchboard bench
/// --scenario console`: the real reducer, effect executor, screen builder and renderer over a
/// real dispatcher's store, with every load a step starts awaited before its frame counts as
/// drawn. Loads run one after another here (the runtime runs them side by side), so the
/// figures are upper bounds of what an operator sees, minus the terminal's own drawing.
public enum ConsoleProbe {
    /// One measured step.
    public struct Timing: Sendable, Hashable {
        public var step: String
        /// Until the frame the runtime draws at once after the key (the reducer and the renderer;
        /// data the key asks for fills in with later frames).
        public var frameMilliseconds: Double
        /// Until every load the key started has come back and its frame is drawn.
        public var milliseconds: Double
        /// What the screen showed after it (the events pane's title).
        public var outcome: String
    }

    /// Runs the steps: first frame, `j`, `G` (the oldest event), store-side filters
    /// (`/status:failed`, a type prefix over a time range, free text), an id jump (pasting
    /// `idToFind` into `/`), the failures view and the retry queue's per-endpoint summary.
    public static func measure(switchboard: Switchboard, columns: Int = 160, rows: Int = 48, idToFind: String?) async -> [Timing] {
        let operations = SwitchboardOperations(switchboard: switchboard)
        let executor = EffectExecutor(operations: operations, logger: Logger(label: "switchboard.console.probe"))
        var timings: [Timing] = []
        let clock = ContinuousClock()
        let started = clock.now
        var state = ConsoleState(readOnly: false, size: TerminalSize(columns: columns, rows: rows), now: operations.now())
        var effects = Reducer.reduce(&state, .tick(operations.now()))
        await settle(&state, effects, executor)
        _ = FrameRenderer.render(ScreenBuilder.build(state))
        let first = milliseconds(clock.now - started)
        timings.append(Timing(step: "first frame", frameMilliseconds: first, milliseconds: first, outcome: title(state)))

        func step(_ name: String, _ inputs: [Input]) async {
            let start = clock.now
            effects = []
            for input in inputs { effects += Reducer.reduce(&state, input) }
            _ = FrameRenderer.render(ScreenBuilder.build(state))
            let frame = milliseconds(clock.now - start)
            await settle(&state, effects, executor)
            _ = FrameRenderer.render(ScreenBuilder.build(state))
            timings.append(Timing(step: name, frameMilliseconds: frame, milliseconds: milliseconds(clock.now - start), outcome: title(state)))
        }
        _ = Reducer.reduce(&state, .key(.character("2")))
        await step("j (next event)", [.key(.character("j"))])
        await step("G (oldest event)", [.key(.character("G"))])
        await step("g (newest event)", [.key(.character("g"))])
        // A filter pasted into the prompt is one store query (typed, it is one per key).
        await step("filter /status:failed", [.key(.character("/")), .paste("status:failed"), .key(.enter)])
        await step("clear filter (Esc)", [.key(.character("/")), .key(.escape)])
        await step("filter /type:invoice.* since:1h", [.key(.character("/")), .paste("type:invoice.* since:1h"), .key(.enter)])
        await step("clear filter (Esc)", [.key(.character("/")), .key(.escape)])
        await step("filter /invoice (free text)", [.key(.character("/")), .paste("invoice"), .key(.enter)])
        await step("clear filter (Esc)", [.key(.character("/")), .key(.escape)])
        if let idToFind {
            await step("id jump (pasted)", [.key(.character("/")), .paste(idToFind), .key(.enter)])
        }
        await step("failures view (F)", [.key(.character("F"))])
        await step("retry queue by endpoint (4)", [.key(.character("4"))])
        return timings
    }

    /// Runs `effects`' loads and everything their results ask for in turn (at most 64 rounds).
    private static func settle(_ state: inout ConsoleState, _ effects: [Effect], _ executor: EffectExecutor) async {
        var pending = effects
        var rounds = 0
        while !pending.isEmpty, rounds < 64 {
            rounds += 1
            let effect = pending.removeFirst()
            guard case .load(let request) = effect else { continue }
            let input = await executor.load(request)
            pending += Reducer.reduce(&state, input)
        }
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    private static func title(_ state: ConsoleState) -> String {
        let loaded = state.events.rows.count
        return "\(loaded) rows loaded of \(state.events.total)" + (state.flash.map { "; \($0.message)" } ?? "")
    }
}
