import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardConsole

/// The confirm flows of `r`, `p` and `R`, read-only refusal, and what results show.
@Suite struct ReducerActionTests {
    @Test func replayAsksNamingTheTargetEndpoints() {
        var state = Fixtures.state()
        #expect(Fixtures.press([.character("r")], &state).isEmpty)
        guard case .confirm(let confirmation) = state.modal else {
            Issue.record("expected a confirmation, got \(String(describing: state.modal))")
            return
        }
        let event = Fixtures.events[0]
        // order.created in tenant "default": billing (order.*), crm and analytics (all types);
        // not the acme endpoints. analytics is paused: named, marked and skipped.
        #expect(confirmation.action == .replay(
            event: EventRef(id: event.id, tenantID: "default"), eventType: "order.created",
            endpointIDs: [Fixtures.billing.id, Fixtures.crm.id],
            endpointNames: ["billing", "crm"]))
        let text = confirmation.options.flatMap(\.lines).joined(separator: "\n")
        #expect(text.contains("billing") && text.contains("crm") && text.contains("analytics (localhost:3000)  [■ paused: skipped]"))
        let effects = Fixtures.confirm(&state)
        #expect(effects == [.perform(confirmation.action)])
        #expect(state.modal == nil)
    }

    @Test func nEscAndQCancel() {
        for key in [Key.character("n"), .character("N"), .escape, .character("q")] {
            var state = Fixtures.state()
            Fixtures.press([.character("r")], &state)
            Fixtures.waitOutConfirmDelay(&state)
            let effects = Fixtures.press([key], &state)
            #expect(effects.isEmpty, "\(key)")
            #expect(state.modal == nil)
            #expect(!state.isQuitting)
            #expect(state.flash?.message.hasPrefix("Cancelled") == true)
        }
    }

    @Test func replayWithNoSubscriberSaysSo() {
        var state = Fixtures.state()
        state.endpoints = [Fixtures.warehouse]  // acme, order.paid only
        Fixtures.press([.character("r")], &state)
        #expect(state.modal == nil)
        #expect(state.flash?.kind == .error)
        #expect(state.flash?.message.contains("subscribes") == true)
    }

    @Test func rRetriesTheSelectedDeliveryInTheAttemptsAndRetryPanes() {
        var state = Fixtures.state()
        // Attempts pane rows: analytics (paused), billing, its attempt, crm, its attempts.
        Fixtures.press([.character("3"), .down, .down, .down, .down, .character("r")], &state)
        guard case .confirm(let confirmation) = state.modal else {
            Issue.record("expected a confirmation, got \(String(describing: state.modal))")
            return
        }
        let crmDelivery = Fixtures.deliveries(for: Fixtures.events[0])[1]
        #expect(confirmation.action == .retryDelivery(id: crmDelivery.id, tenantID: "default", endpointName: "crm"))
        #expect(Fixtures.confirm(&state) == [.perform(confirmation.action)])

        var retry = Fixtures.state()
        Fixtures.openQueue(Fixtures.crm.id, &retry)
        Fixtures.press([.character("r")], &retry)
        guard case .confirm(let second) = retry.modal else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(second.action == .retryDelivery(id: Fixtures.retryQueue[0].id, tenantID: "default", endpointName: "crm"))
    }

    @Test func retryingADisabledEndpointsDeliveryIsRefusedUpFront() {
        var state = Fixtures.state()
        Fixtures.openQueue(Fixtures.analytics.id, &state)
        Fixtures.press([.character("r")], &state)
        #expect(state.modal == nil)
        #expect(state.flash?.kind == .error)
        #expect(state.flash?.message.contains("analytics is paused") == true)
    }

    @Test func pPausesAndResumesAfterConfirming() {
        var state = Fixtures.state()
        Fixtures.selectEndpoint(Fixtures.billing.id, &state)
        Fixtures.press([.character("p")], &state)
        guard case .confirm(let disable) = state.modal else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(disable.action == .setEndpointEnabled(id: Fixtures.billing.id, tenantID: "default", name: "billing", enabled: false))
        #expect(disable.lines.joined().contains("nothing is dropped"))
        #expect(Fixtures.confirm(&state) == [.perform(disable.action)])

        Fixtures.selectEndpoint(Fixtures.analytics.id, &state)
        Fixtures.press([.character("p")], &state)
        guard case .confirm(let enable) = state.modal else {
            Issue.record("expected a confirmation")
            return
        }
        #expect(enable.action == .setEndpointEnabled(id: Fixtures.analytics.id, tenantID: "default", name: "analytics", enabled: true))
        #expect(Fixtures.press([.escape], &state).isEmpty)
    }

    @Test func pOutsideTheEndpointsPaneExplains() {
        var state = Fixtures.state()
        #expect(Fixtures.press([.character("p")], &state).isEmpty)
        #expect(state.modal == nil)
        #expect(state.flash?.message.contains("pane 1") == true)
    }

    @Test func rotationNeedsTheExactName() {
        var state = Fixtures.state()
        Fixtures.selectEndpoint(Fixtures.billing.id, &state)
        Fixtures.press([.character("R")] + Fixtures.typing("Billing"), &state)
        #expect(Fixtures.press([.enter], &state).isEmpty)
        guard case .typedConfirmation(let typed) = state.modalKind else {
            Issue.record("expected the typed confirmation to stay open")
            return
        }
        #expect(typed.mismatch)
        #expect(typed.typed == "Billing")
        Fixtures.press(Array(repeating: .backspace, count: 7) + Fixtures.typing("billing"), &state)
        let effects = Fixtures.press([.enter], &state)
        #expect(effects == [.perform(.rotateSecret(endpointID: Fixtures.billing.id, tenantID: "default", name: "billing"))])
        #expect(state.modal == nil)
    }

    @Test func rotationCanBeCancelled() {
        var state = Fixtures.state()
        Fixtures.selectEndpoint(Fixtures.billing.id, &state)
        Fixtures.press([.character("R")] + Fixtures.typing("billing"), &state)
        #expect(Fixtures.press([.escape], &state).isEmpty)
        #expect(state.modal == nil)
        #expect(state.flash?.message.contains("not rotated") == true)
    }

    @Test func theNewSecretIsShownOnceThenDropped() {
        var state = Fixtures.state()
        var rotated = Fixtures.billing
        rotated.secret = Secret("whsec_brandnew")
        _ = Reducer.reduce(&state, .completed(.secretRotated(rotated)))
        guard case .secret(let reveal) = state.modal else {
            Issue.record("expected the secret to show")
            return
        }
        #expect(reveal.secret.reveal() == "whsec_brandnew")
        #expect((0..<render(state).height).contains { render(state).text(ofRow: $0).contains("whsec_brandnew") })
        Fixtures.press([.character("j")], &state)  // other keys do not close it by accident
        #expect(state.modal != nil)
        Fixtures.press([.enter], &state)
        #expect(state.modal == nil)
        let frame = render(state)
        #expect(!(0..<frame.height).contains { frame.text(ofRow: $0).contains("whsec_brandnew") })
        #expect(state.flash?.message.contains("whsec_brandnew") == false)
    }

    @Test func readOnlyRefusesEveryAction() {
        for keys in [[Key.character("r")], [.character("3"), .down, .character("r")], [.character("4"), .character("r")], [.character("1"), .character("p")], [.character("1"), .character("R")]] {
            var state = Fixtures.state(readOnly: true)
            let effects = Fixtures.press(keys, &state)
            #expect(effects.allSatisfy { if case .perform = $0 { false } else { true } }, "\(keys)")
            #expect(state.modal == nil, "\(keys)")
            #expect(state.flash?.kind == .error)
            #expect(state.flash?.message.contains("read-only") == true || state.flash?.message.contains("Read-only") == true)
        }
        // Even an action reaching the reducer some other way is refused.
        var state = Fixtures.state(readOnly: true)
        #expect(Reducer.perform(.rotateSecret(endpointID: "ep", tenantID: "default", name: "x"), &state).isEmpty)
    }

    @Test func readOnlyHidesTheActionHints() {
        let state = Fixtures.state(readOnly: true)
        let labels = KeyBindings.footer(for: state).map(\.label)
        #expect(!labels.contains("replay"))
        let help = KeyBindings.help(for: state).flatMap(\.hints).map(\.key)
        #expect(!help.contains("r"))
        var writable = Fixtures.state()
        Fixtures.press([.character("1")], &writable)
        #expect(KeyBindings.footer(for: writable).map(\.key).contains("R"))
    }

    @Test func resultsShowAsFlashMessages() {
        var state = Fixtures.state()
        let original = EventRef(id: Fixtures.events[0].id, tenantID: "default")
        let replay = Event(id: Fixtures.id("evt", 777), tenantID: "default", eventType: "order.created", payload: Data(), origin: .replay, createdAt: Fixtures.now)
        _ = Reducer.reduce(&state, .completed(.replayed(original: original, result: PublishResult(event: replay, deliveries: [], isDuplicate: false), endpointNames: ["billing"])))
        #expect(state.flash?.kind == .success)
        #expect(state.flash?.message.contains(replay.id) == true)

        var disabled = Fixtures.billing
        disabled.enabled = false
        _ = Reducer.reduce(&state, .completed(.endpointChanged(disabled)))
        #expect(state.flash?.message.hasPrefix("Paused billing") == true)
        #expect(state.endpoint(id: Fixtures.billing.id)?.enabled == false)

        let action = OperatorAction.retryDelivery(id: "dlv_x", tenantID: "default", endpointName: "crm")
        _ = Reducer.reduce(&state, .completed(.failed(action, "endpoint ep_2 is disabled; enable it first")))
        #expect(state.flash?.kind == .error)
        #expect(state.flash?.message == "Retry failed: endpoint ep_2 is disabled; enable it first")

        // Flashes expire.
        _ = Reducer.reduce(&state, .tick(Fixtures.now.addingTimeInterval(Flash.lifetime + 1)))
        #expect(state.flash == nil)
    }
}

extension ConsoleState {
    /// The open modal, for pattern matching in tests.
    enum ModalKind {
        case none, typedConfirmation(TypedConfirmation), other
    }

    var modalKind: ModalKind {
        switch modal {
        case .typedConfirm(let typed): .typedConfirmation(typed)
        case nil: .none
        default: .other
        }
    }
}
