import SwitchboardCore

/// `r`, `d` and `R`: confirm flows for the operator actions, and what their results show.
extension Reducer {
    private static func refuseReadOnly(_ verb: String, _ state: inout ConsoleState) -> [Effect] {
        flash("Read-only console (--readonly): \(verb) is disabled", .error, &state)
        return []
    }

    /// `r`: replay the selected event (events pane) or retry the selected delivery
    /// (attempts and retry panes), after a y/N question naming the target endpoints.
    static func beginReplayOrRetry(_ state: inout ConsoleState) -> [Effect] {
        switch state.focus {
        case .events:
            guard let event = state.selectedEvent else {
                flash("No event selected to replay", .info, &state)
                return []
            }
            return beginEventRetry(event, &state)
        case .attempts, .retryQueue, .failures:
            guard !state.readOnly else { return refuseReadOnly("retry", &state) }
            let delivery: Delivery? =
                switch state.focus {
                case .attempts: state.selectedAttemptsDelivery
                case .failures: state.selectedFailure?.delivery
                default: state.selectedRetryDelivery
                }
            guard let delivery else {
                flash(
                    state.focus == .retryQueue && state.queueEndpoint == nil
                        ? "Enter opens the selected endpoint's queue; r there retries a delivery (B in pane 1 recovers them all)"
                        : "No delivery selected to retry", .info, &state)
                return []
            }
            let endpoint = state.endpoint(id: delivery.endpointID)
            let name = endpoint?.name ?? delivery.endpointID
            if let endpoint, !endpoint.enabled {
                flash("\(name) is paused: resume it first (p in pane 1), then retry", .error, &state)
                return []
            }
            if delivery.state == .inFlight {
                flash("\(Format.shortID(delivery.id)) is being attempted right now", .info, &state)
                return []
            }
            state.modal = .confirm(
                Confirmation(
                    action: .retryDelivery(id: delivery.id, tenantID: delivery.tenantID, endpointName: name),
                    title: "Retry delivery",
                    lines: [
                        "Retry delivery \(delivery.id) of \(delivery.eventID)",
                        "to \(name)\(endpoint.map { " (\(Format.host(of: $0.url)))" } ?? "") now?",
                        "It is \(delivery.state.rawValue) after \(Format.count(delivery.attemptCount, "attempt")).",
                    ], openedAt: state.now))
            return []
        case .endpoints, .sources, .logs:
            flash("r replays the event selected in pane 2, or retries a delivery in panes 3 and 4", .info, &state)
            return []
        }
    }

    /// The endpoints a replay of `event` goes to: those of its tenant subscribed to its type
    /// now (and to its source, for ingested events), as the dispatcher's fan-out picks them.
    static func replayTargets(for event: Event, _ state: ConsoleState) -> [Endpoint] {
        state.endpoints.filter { endpoint in
            guard endpoint.tenantID == event.tenantID, endpoint.subscribes(to: event.eventType) else { return false }
            if let source = event.sourceID { return endpoint.sourceIDs.contains(source) }
            return endpoint.sourceIDs.isEmpty
        }
    }

    /// `r` on an event: retry only its failed deliveries (the default), or replay it as a
    /// new event to every endpoint subscribed now. The dialog names the endpoints; disabled
    /// ones are marked and skipped.
    static func beginEventRetry(_ event: Event, _ state: inout ConsoleState) -> [Effect] {
        let ref = EventRef(id: event.id, tenantID: event.tenantID)
        let glyphs = state.glyphs
        func describe(_ endpoint: Endpoint?, id: String) -> String {
            guard let endpoint else { return "  \(glyphs.separator) \(id)" }
            let mark = endpoint.enabled ? "" : "  [\(glyphs.disabled) paused: skipped]"
            return "  \(glyphs.separator) \(endpoint.name) (\(Format.host(of: endpoint.url)))\(mark)"
        }
        var options: [Confirmation.Option] = []
        var notes: [String] = []
        // The failed deliveries, when the attempts pane has loaded this event's deliveries.
        if let detail = state.inspectedDetail, detail.event.id == event.id {
            let failed = detail.deliveries.filter { $0.state == .failed }
            let retryable = failed.filter { state.endpoint(id: $0.endpointID)?.enabled ?? true }
            if !failed.isEmpty && retryable.isEmpty {
                notes.append("Its failed deliveries all go to paused endpoints: resume them (p in pane 1) to retry.")
            } else if !failed.isEmpty {
                let names = retryable.map { state.endpoint(id: $0.endpointID)?.name ?? $0.endpointID }
                options.append(
                    Confirmation.Option(
                        label: "Retry only the \(Format.count(failed.count, "failed delivery").replacingOccurrences(of: "deliverys", with: "deliveries"))",
                        action: .retryFailed(event: ref, endpointNames: names),
                        lines: failed.map { describe(state.endpoint(id: $0.endpointID), id: $0.endpointID) }))
            }
        }
        let targets = replayTargets(for: event, state)
        let enabled = targets.filter(\.enabled)
        if !enabled.isEmpty {
            options.append(
                Confirmation.Option(
                    label: "Replay as a new event to every subscribed endpoint (\(enabled.count))",
                    action: .replay(event: ref, eventType: event.eventType, endpointIDs: enabled.map(\.id), endpointNames: enabled.map(\.name)),
                    lines: targets.map { describe($0, id: $0.id) }))
        }
        guard !options.isEmpty else {
            let why = targets.isEmpty
                ? "No endpoint of tenant \(event.tenantID) subscribes to \(event.eventType): nothing to replay to"
                : "Every endpoint subscribed to \(event.eventType) is paused: resume one first (p in pane 1)"
            flash(why, .error, &state)
            return []
        }
        state.modal = .confirm(
            Confirmation(
                options: options, title: options.count > 1 ? "Retry or replay event" : "Replay event",
                lines: ["\(event.id) (\(event.eventType), \(event.status.rawValue))"] + notes, openedAt: state.now))
        return []
    }

    /// `p`: pause or resume the selected endpoint after `y` then Enter.
    static func beginToggleEndpoint(_ state: inout ConsoleState) -> [Effect] {
        guard !state.readOnly else { return refuseReadOnly("pausing and resuming endpoints", &state) }
        guard state.focus == .endpoints, let endpoint = state.selectedEndpoint else {
            flash(state.focus == .sources ? "p acts on endpoints: press s to show them in pane 1" : "p pauses or resumes the endpoint selected in pane 1", .info, &state)
            return []
        }
        let host = Format.host(of: endpoint.url)
        let lines =
            endpoint.enabled
            ? ["Pause endpoint \(endpoint.name) (\(host))?", "Its waiting and new deliveries are held as paused;", "nothing is dropped. Resuming sends them."]
            : ["Resume endpoint \(endpoint.name) (\(host))?", "Its paused deliveries become due now, in order."]
        state.modal = .confirm(
            Confirmation(
                action: .setEndpointEnabled(id: endpoint.id, tenantID: endpoint.tenantID, name: endpoint.name, enabled: !endpoint.enabled),
                title: endpoint.enabled ? "Pause endpoint" : "Resume endpoint",
                lines: lines, openedAt: state.now))
        return []
    }

    /// `R`: rotate the selected endpoint's secret once the operator types its name.
    static func beginRotateSecret(_ state: inout ConsoleState) -> [Effect] {
        guard !state.readOnly else { return refuseReadOnly("secret rotation", &state) }
        guard state.focus == .endpoints, let endpoint = state.selectedEndpoint else {
            flash(
                state.focus == .sources
                    ? "R rotates endpoint secrets (press s for endpoints); rotate a source's secret through the API"
                    : "R rotates the secret of the endpoint selected in pane 1", .info, &state)
            return []
        }
        let grace =
            endpoint.authMode == .signature
            ? "The old secret keeps signing beside the new one for 24 h."
            : "Bearer endpoint: the old secret stops working at once."
        state.modal = .typedConfirm(
            TypedConfirmation(
                action: .rotateSecret(endpointID: endpoint.id, tenantID: endpoint.tenantID, name: endpoint.name),
                title: "Rotate secret",
                lines: ["Rotate the secret of \(endpoint.name) (\(endpoint.id))?", grace, "", "Type the endpoint's name to confirm (Esc cancels):"],
                expected: endpoint.name))
        return []
    }

    /// `B`: recover the selected endpoint's failed deliveries since a typed time, once its
    /// name is typed.
    static func beginRecover(_ state: inout ConsoleState) -> [Effect] {
        guard let endpoint = state.selectedEndpoint else {
            flash("No endpoint selected to recover", .info, &state)
            return []
        }
        state.modal = .recover(RecoverPrompt(endpointID: endpoint.id, tenantID: endpoint.tenantID, name: endpoint.name))
        return []
    }

    static func perform(_ action: OperatorAction, _ state: inout ConsoleState) -> [Effect] {
        if action == .quitStoppingDispatcher { return quit(&state) }
        guard !state.readOnly else { return refuseReadOnly(action.verb, &state) }
        flash("Working: \(action.verb)…", .info, &state)
        return [.perform(action)]
    }

    // MARK: Outcomes

    static func applyOutcome(_ outcome: ActionOutcome, _ state: inout ConsoleState) -> [Effect] {
        switch outcome {
        case .replayed(let original, let result, let names):
            flash(
                "Replayed \(Format.shortID(original.id)) as \(result.event.id) to \(Format.count(result.deliveries.count, "endpoint")): \(names.joined(separator: ", "))",
                .success, &state)
            state.sync.markDirty(.events, .retryQueue, .queueGroups, .gauges)
        case .retriedFailed(let original, let deliveries):
            let names = deliveries.map { state.endpoint(id: $0.endpointID)?.name ?? $0.endpointID }
            if deliveries.isEmpty {
                flash("Nothing retried: \(Format.shortID(original.id)) has no failed delivery to an active endpoint now", .info, &state)
            } else {
                flash("Retrying \(Format.count(deliveries.count, "failed delivery").replacingOccurrences(of: "deliverys", with: "deliveries")) of \(original.id): \(names.joined(separator: ", "))", .success, &state)
            }
            state.sync.markDirty(.retryQueue, .queueGroups, .failures, .eventDetail, .gauges, .events)
        case .recovered(let name, let since, let count):
            flash(
                count == 0
                    ? "Nothing to recover: no delivery to \(name) failed since \(Format.timestamp(since, timeZone: state.timeZone))"
                    : "Recovered \(Format.count(count, "failed delivery").replacingOccurrences(of: "deliverys", with: "deliveries")) of \(name): they are due now",
                count == 0 ? .info : .success, &state)
            state.sync.markDirty(.retryQueue, .queueGroups, .failures, .gauges, .events, .eventDetail)
        case .retried(let delivery, let name):
            flash("Retrying \(delivery.id) to \(name) now", .success, &state)
            upsertRetry(delivery, &state)
            state.sync.markDirty(.retryQueue, .queueGroups, .failures, .eventDetail, .gauges)
        case .endpointChanged(let endpoint):
            upsert(endpoint, &state)
            flash(
                endpoint.enabled
                    ? "Resumed \(endpoint.name): its paused deliveries go out now"
                    : "Paused \(endpoint.name): its deliveries wait, nothing is dropped",
                .success, &state)
            state.sync.markDirty(.retryQueue, .queueGroups, .gauges, .eventDetail)
        case .secretRotated(let endpoint):
            upsert(endpoint, &state)
            let grace = endpoint.previousSecretExpiresAt.map { "the old one signs until " + Format.timestamp($0, timeZone: state.timeZone) } ?? "the old one no longer works"
            state.modal = .secret(SecretReveal(endpointName: endpoint.name, endpointID: endpoint.id, secret: endpoint.secret, graceNote: grace))
            flash("Rotated the secret of \(endpoint.name); \(grace)", .success, &state)
        case .failed(let action, let message):
            flash("\(action.verb.prefix(1).uppercased() + action.verb.dropFirst()) failed: \(message)", .error, &state)
        }
        return []
    }

    static func upsert(_ endpoint: Endpoint, _ state: inout ConsoleState) {
        if let index = state.endpoints.firstIndex(where: { $0.id == endpoint.id && $0.tenantID == endpoint.tenantID }) {
            state.endpoints[index] = endpoint
        } else {
            state.endpoints.append(endpoint)
        }
        reanchor(.endpoints, &state)
    }

    private static func upsertRetry(_ delivery: Delivery, _ state: inout ConsoleState) {
        if let index = state.retryQueue.firstIndex(where: { $0.id == delivery.id }) {
            state.retryQueue[index] = delivery
        }
        if let index = state.inspectedDetail?.deliveries.firstIndex(where: { $0.id == delivery.id }) {
            state.inspectedDetail?.deliveries[index] = delivery
        }
    }
}
