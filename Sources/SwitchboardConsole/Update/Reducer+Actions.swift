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
            guard !state.readOnly else { return refuseReadOnly("replay", &state) }
            guard let event = state.selectedEvent else {
                flash("No event selected to replay", .info, &state)
                return []
            }
            let targets = replayTargets(for: event, state)
            guard !targets.isEmpty else {
                flash("No endpoint of tenant \(event.tenantID) subscribes to \(event.eventType): nothing to replay to", .error, &state)
                return []
            }
            let names = targets.map(\.name)
            state.modal = .confirm(
                Confirmation(
                    action: .replay(
                        event: EventRef(id: event.id, tenantID: event.tenantID), eventType: event.eventType,
                        endpointIDs: targets.map(\.id), endpointNames: names),
                    title: "Replay event",
                    lines: [
                        "Replay \(event.id) (\(event.eventType)) as a new event to \(Format.count(targets.count, "endpoint")):",
                    ] + targets.map { "  \(state.glyphs.separator) \($0.name) (\(Format.host(of: $0.url)))\($0.enabled ? "" : ", disabled: held as paused")" }
                        + ["", "Replay? [y/N]"]))
            return []
        case .attempts, .retryQueue:
            guard !state.readOnly else { return refuseReadOnly("retry", &state) }
            let delivery = state.focus == .attempts ? state.selectedAttemptsDelivery : state.selectedRetryDelivery
            guard let delivery else {
                flash("No delivery selected to retry", .info, &state)
                return []
            }
            let endpoint = state.endpoint(id: delivery.endpointID)
            let name = endpoint?.name ?? delivery.endpointID
            if let endpoint, !endpoint.enabled {
                flash("\(name) is disabled: enable it first (d in pane 1), then retry", .error, &state)
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
                        "", "Retry? [y/N]",
                    ]))
            return []
        case .endpoints, .sources:
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

    /// `d`: disable or enable the selected endpoint after a y/N question.
    static func beginToggleEndpoint(_ state: inout ConsoleState) -> [Effect] {
        guard !state.readOnly else { return refuseReadOnly("disabling and enabling endpoints", &state) }
        guard state.focus == .endpoints, let endpoint = state.selectedEndpoint else {
            flash(state.focus == .sources ? "d acts on endpoints: press s to show them in pane 1" : "d disables or enables the endpoint selected in pane 1", .info, &state)
            return []
        }
        let host = Format.host(of: endpoint.url)
        let lines =
            endpoint.enabled
            ? ["Disable endpoint \(endpoint.name) (\(host))?", "Its waiting and new deliveries are held as paused;", "nothing is dropped. Enabling it resumes them."]
            : ["Enable endpoint \(endpoint.name) (\(host))?", "Its paused deliveries become due now, in order."]
        state.modal = .confirm(
            Confirmation(
                action: .setEndpointEnabled(id: endpoint.id, tenantID: endpoint.tenantID, name: endpoint.name, enabled: !endpoint.enabled),
                title: endpoint.enabled ? "Disable endpoint" : "Enable endpoint",
                lines: lines + ["", (endpoint.enabled ? "Disable" : "Enable") + "? [y/N]"]))
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

    static func perform(_ action: OperatorAction, _ state: inout ConsoleState) -> [Effect] {
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
            state.sync.markDirty(.events, .retryQueue, .gauges)
        case .retried(let delivery, let name):
            flash("Retrying \(delivery.id) to \(name) now", .success, &state)
            upsertRetry(delivery, &state)
            state.sync.markDirty(.retryQueue, .eventDetail, .gauges)
        case .endpointChanged(let endpoint):
            upsert(endpoint, &state)
            flash(
                endpoint.enabled
                    ? "Enabled \(endpoint.name): its paused deliveries resume now"
                    : "Disabled \(endpoint.name): its deliveries are paused, nothing is dropped",
                .success, &state)
            state.sync.markDirty(.retryQueue, .gauges, .eventDetail)
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
