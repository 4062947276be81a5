import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// Safe actions: a confirmation ignores keys for its first 300 ms and then needs `y` then
/// Enter; pasted text never runs keys; `r` on an event retries only its failed deliveries
/// by default; `y` copies.
@Suite struct ReducerSafetyTests {
    /// The sample state with the events pane on a PARTIAL event (billing ok, crm and
    /// analytics failed) whose deliveries the attempts pane has loaded.
    static func partialEventState() -> (ConsoleState, Event) {
        var state = Fixtures.state()
        Fixtures.press([.down, .down, .down], &state)  // events[3]: PARTIAL
        Fixtures.loadInspected(&state)
        return (state, Fixtures.events[3])
    }

    @Test func aConfirmationIgnoresKeysForItsFirst300Milliseconds() {
        var state = Fixtures.state()
        Fixtures.press([.character("r")], &state)
        let opened = state.modal
        // Typed ahead or in a burst: nothing answers the dialog, not even Esc.
        for key in [Key.character("y"), .enter, .escape, .character("n")] {
            #expect(Fixtures.press([key], &state).isEmpty)
            #expect(state.modal == opened)
        }
        state.now = state.now.addingTimeInterval(0.29)
        Fixtures.press([.character("y"), .enter], &state)
        #expect(state.modal == opened)
        state.now = state.now.addingTimeInterval(0.02)
        Fixtures.press([.character("y")], &state)
        guard case .confirm(let armed) = state.modal else {
            Issue.record("expected the dialog to stay open after y")
            return
        }
        #expect(armed.armed)
        #expect(Fixtures.press([.enter], &state) == [.perform(armed.action)])
    }

    @Test func enterWithoutYDoesNothingAndYAloneDoesNothing() {
        var state = Fixtures.state()
        Fixtures.press([.character("r")], &state)
        Fixtures.waitOutConfirmDelay(&state)
        #expect(Fixtures.press([.enter], &state).isEmpty)
        #expect(state.modal != nil)
        #expect(Fixtures.press([.character("y")], &state).isEmpty)
        #expect(state.modal != nil)
        #expect(render(state).plainText.contains("Press ⏎ to confirm"))
    }

    @Test func rOnAnEventWithFailuresOffersRetryingOnlyTheFailedOnesByDefault() {
        var (state, event) = Self.partialEventState()
        Fixtures.press([.character("r")], &state)
        guard case .confirm(let dialog) = state.modal else {
            Issue.record("expected a confirmation, got \(String(describing: state.modal))")
            return
        }
        #expect(dialog.options.count == 2)
        // crm failed and is active; analytics failed but is paused: named, marked, skipped.
        #expect(dialog.action == .retryFailed(event: EventRef(id: event.id, tenantID: event.tenantID), endpointNames: ["crm"]))
        let text = render(state).plainText
        #expect(text.contains("1 Retry only the 2 failed deliveries (default)"))
        #expect(text.contains("analytics (localhost:3000)  [■ paused: skipped]"))
        // 2 picks the replay to every subscriber (active ones only).
        Fixtures.waitOutConfirmDelay(&state)
        Fixtures.press([.character("2")], &state)
        guard case .confirm(let replay) = state.modal, case .replay(_, _, let ids, _) = replay.action else {
            Issue.record("expected the replay option")
            return
        }
        #expect(ids == [Fixtures.cafe.id])  // the acme tenant's subscriber
        #expect(Fixtures.press([.character("y"), .enter], &state) == [.perform(replay.action)])
    }

    @Test func retriedFailedDeliveriesAreNamedInTheFlash() {
        var (state, event) = Self.partialEventState()
        let crm = Fixtures.deliveries(for: event)[1]
        _ = Reducer.reduce(&state, .completed(.retriedFailed(original: EventRef(id: event.id, tenantID: event.tenantID), deliveries: [crm])))
        #expect(state.flash?.kind == .success)
        #expect(state.flash?.message == "Retrying 1 failed delivery of \(event.id): crm")
    }

    // MARK: Paste

    @Test func pastedTextOutsideAPromptChangesNothing() {
        var state = Fixtures.state()
        Fixtures.press([.character("1")], &state)
        let before = state
        // The text that once paused an endpoint and replayed an event, key by key.
        let effects = Reducer.reduce(&state, .paste("body\norder\nry\npy\r\n"))
        #expect(effects.isEmpty)
        #expect(state.modal == nil && state.detail == nil)
        #expect(state.endpoints == before.endpoints && state.cursors == before.cursors && state.focus == before.focus)
        #expect(state.flash?.message.contains("Pasted text ignored") == true)
    }

    @Test func pastedTextGoesIntoTheFilterPromptAsText() {
        var state = Fixtures.state()
        Fixtures.press([.character("/")], &state)
        _ = Reducer.reduce(&state, .paste("order\nry"))
        guard case .filter(let prompt) = state.modal else {
            Issue.record("the prompt must stay open: a pasted newline is not Enter")
            return
        }
        #expect(prompt.text == "order ry")
        #expect(state.filter(.events).text == "order ry")
    }

    @Test func pastedTextGoesIntoATypedConfirmation() {
        var state = Fixtures.state()
        Fixtures.selectEndpoint(Fixtures.billing.id, &state)
        Fixtures.press([.character("R")], &state)
        _ = Reducer.reduce(&state, .paste("billing\n"))
        guard case .typedConfirmation(let typed) = state.modalKind else {
            Issue.record("expected the typed confirmation to stay open")
            return
        }
        #expect(typed.typed == "billing")
    }

    @Test func pastedTextIntoAConfirmationDoesNotAnswerIt() {
        var state = Fixtures.state()
        Fixtures.press([.character("r")], &state)
        Fixtures.waitOutConfirmDelay(&state)
        #expect(Reducer.reduce(&state, .paste("y\r")).isEmpty)
        guard case .confirm(let dialog) = state.modal else {
            Issue.record("expected the dialog to stay open")
            return
        }
        #expect(!dialog.armed)
    }

    // MARK: Copy

    @Test func yCopiesTheSelectedIdAndFromADetailViewACurlCommand() {
        var state = Fixtures.state()
        #expect(Fixtures.press([.character("y")], &state) == [.copy(Fixtures.events[0].id)])
        #expect(state.flash?.message.contains("Copied \(Fixtures.events[0].id)") == true)
        Fixtures.press([.enter], &state)
        let effects = Fixtures.press([.character("y")], &state)
        #expect(effects == [.copy("curl -s 'http://127.0.0.1:8080/v1/events/\(Fixtures.events[0].id)' -H \"Authorization: Bearer $SWITCHBOARD_API_KEY\"")])
        #expect(state.flash?.message.contains("curl") == true)
    }

    @Test func ctrlZSuspendsFromAnywhere() {
        var state = Fixtures.state()
        #expect(Fixtures.press([.control("z")], &state) == [.suspend])
        Fixtures.press([.enter], &state)
        #expect(Fixtures.press([.control("z")], &state) == [.suspend])
    }
}

/// The bracketed-paste decoder of the terminal's input.
@Suite struct PasteDecoderTests {
    static func decode(_ text: String, flush: Bool = true) -> [PasteDecoder.Output] {
        var decoder = PasteDecoder()
        var out = text.unicodeScalars.flatMap { decoder.feed($0.value) }
        if flush { out += decoder.flush() }
        return out
    }

    @Test func aPasteIsOneTextNeverKeys() {
        #expect(Self.decode("\u{1B}[200~order\nry\u{1B}[201~") == [.paste("order\nry")])
    }

    @Test func keysAroundAPastePassThroughInOrder() {
        let out = Self.decode("j\u{1B}[200~dq\u{1B}[201~k")
        #expect(out == [.character(106), .paste("dq"), .character(107)])
    }

    @Test func aLoneEscapeAndOtherSequencesStayKeys() {
        #expect(Self.decode("\u{1B}") == [.character(27)])
        #expect(Self.decode("\u{1B}[2x") == [.character(27), .character(91), .character(50), .character(120)])
        #expect(Self.decode("\u{1B}\u{1B}[200~a\u{1B}[201~") == [.character(27), .paste("a")])
    }

    @Test func anUnfinishedPasteIsNotFlushedAsKeys() {
        #expect(Self.decode("\u{1B}[200~rrrr").isEmpty)
    }

    @Test func aPasteMayHoldEscapes() {
        #expect(Self.decode("\u{1B}[200~a\u{1B}[Ab\u{1B}[201~") == [.paste("a\u{1B}[Ab")])
    }
}

extension ReducerSafetyTests {
    @Test func failedDeliveriesOnlyToPausedEndpointsOfferNoRetry() {
        var (state, event) = Self.partialEventState()
        state.endpoints = state.endpoints.map { endpoint in
            var endpoint = endpoint
            if endpoint.id == Fixtures.crm.id { endpoint.enabled = false }
            return endpoint
        }
        Fixtures.press([.character("r")], &state)
        guard case .confirm(let dialog) = state.modal else {
            Issue.record("expected the replay to be offered")
            return
        }
        #expect(dialog.options.count == 1)
        guard case .replay = dialog.action else {
            Issue.record("expected only the replay, got \(dialog.action)")
            return
        }
        #expect(dialog.lines.contains { $0.contains("all go to paused endpoints") })
        _ = event
    }
}
