import Foundation

extension Switchboard {
    /// Creates an inbound source with a new unguessable slug. When the draft has no secret and
    /// the provider allows it, one is generated: the returned source is the only place it shows.
    public func createSource(_ draft: SourceDraft, tenant: TenantID) async throws(SwitchboardError) -> Source {
        try draft.validate()
        let now = clock.now()
        let secret: Secret =
            switch draft.provider {
            case .none: Secret("")
            default: draft.signingSecret.map(Secret.init) ?? WebhookSigner.generateSecret()
            }
        let source = Source(
            id: Identifier.make(.source, at: now), tenantID: tenant, name: draft.name, provider: draft.provider,
            signingSecret: secret, slug: Source.makeSlug(), hmacOptions: draft.hmacOptions, retentionDays: draft.retentionDays,
            createdAt: now, updatedAt: now)
        try await storeCall { try await store.insertSource(source) }
        feed.publish(.sourceChanged(source))
        logger.info("source created", metadata: ["source": "\(source.id)", "provider": "\(source.provider.rawValue)"])
        return source
    }

    /// The tenant's sources (every tenant's when `nil`), oldest first.
    public func sources(tenant: TenantID?) async throws(SwitchboardError) -> [Source] {
        try await storeCall { try await store.sources(tenant: tenant) }.map(sourceRejections.overlay)
    }

    public func source(id: String, tenant: TenantID) async throws(SwitchboardError) -> Source {
        guard let source = try await storeCall({ try await store.source(id: id, tenant: tenant) }) else {
            throw .notFound("source", id: id)
        }
        return sourceRejections.overlay(source)
    }

    public func updateSource(id: String, tenant: TenantID, patch: SourcePatch) async throws(SwitchboardError) -> Source {
        try patch.validate()
        var source = patch.applied(to: try await source(id: id, tenant: tenant))
        source.updatedAt = clock.now()
        let updated = source
        try await storeCall { try await store.updateSource(updated) }
        feed.publish(.sourceChanged(updated))
        return updated
    }

    /// Deletes the source: its ingest URL stops answering. Endpoints bound to it stay, and
    /// receive nothing from it any more; its stored events stay until retention removes them.
    public func deleteSource(id: String, tenant: TenantID) async throws(SwitchboardError) {
        guard try await storeCall({ try await store.deleteSource(id: id, tenant: tenant) }) else {
            throw .notFound("source", id: id)
        }
        feed.publish(.sourceDeleted(id: id, tenantID: tenant))
        logger.info("source deleted", metadata: ["source": "\(id)"])
    }

    /// Replaces the source's verification secret with `newSecret` (generated when `nil`, for
    /// providers that allow it). The old secret is still accepted for `grace` seconds (a day
    /// by default), so the provider side can be switched over without refusing a request.
    public func rotateSourceSecret(
        id: String, tenant: TenantID, newSecret: String? = nil, grace: TimeInterval? = nil
    ) async throws(SwitchboardError) -> Source {
        if let grace, grace < 0 || grace > 30 * 86400 {
            throw .invalid("grace_seconds", "must be between 0 and 2592000 (30 days)")
        }
        var source = try await source(id: id, tenant: tenant)
        guard source.provider != .none else {
            throw SwitchboardError(.conflict, code: "source_unsigned", message: "source \(id) uses provider none and has no secret to rotate")
        }
        try SourceValidation.signingSecret(newSecret, provider: source.provider)
        let now = clock.now()
        let effectiveGrace = grace ?? 86400
        source.previousSigningSecret = effectiveGrace > 0 ? source.signingSecret : nil
        source.previousSecretExpiresAt = effectiveGrace > 0 ? now.addingTimeInterval(effectiveGrace) : nil
        source.signingSecret = newSecret.map(Secret.init) ?? WebhookSigner.generateSecret()
        source.updatedAt = now
        let updated = source
        try await storeCall { try await store.updateSource(updated) }
        feed.publish(.sourceChanged(updated))
        logger.info("source secret rotated", metadata: ["source": "\(id)", "grace_seconds": "\(Int(effectiveGrace))"])
        return updated
    }

    /// The endpoints bound to the source, oldest first.
    public func destinations(ofSource id: String, tenant: TenantID) async throws(SwitchboardError) -> [Endpoint] {
        _ = try await source(id: id, tenant: tenant)
        return try await endpoints(tenant: tenant).filter { $0.sourceIDs.contains(id) }
    }

    /// Creates an endpoint bound to the source (its events only, filtered by the draft's
    /// event types); the returned endpoint is the only place its secret shows.
    public func addDestination(toSource id: String, tenant: TenantID, draft: EndpointDraft) async throws(SwitchboardError) -> Endpoint {
        _ = try await source(id: id, tenant: tenant)
        var draft = draft
        if !draft.sourceIDs.contains(id) { draft.sourceIDs.append(id) }
        return try await createEndpoint(draft, tenant: tenant)
    }

    /// Replays one stored inbound event of the source to all its destinations subscribed to
    /// the event's type, or only to `endpointIDs`, which must be destinations of the source.
    public func replaySourceEvent(
        sourceID: String, eventID: String, tenant: TenantID, endpointIDs: [String]? = nil
    ) async throws(SwitchboardError) -> PublishResult {
        let destinations = try await destinations(ofSource: sourceID, tenant: tenant)
        let original = try await event(id: eventID, tenant: tenant)
        guard original.sourceID == sourceID else {
            throw SwitchboardError(.notFound, code: "event_not_found", message: "event \(eventID) did not come from source \(sourceID)")
        }
        if let endpointIDs {
            let bound = Set(destinations.map(\.id))
            if let stranger = endpointIDs.first(where: { !bound.contains($0) }) {
                throw .invalid("endpoint_ids", "\(stranger) is not a destination of source \(sourceID)")
            }
        }
        return try await replayEvent(id: eventID, tenant: tenant, endpointIDs: endpointIDs)
    }

    /// Verifies a request to a source's public ingest URL and stores it as an event fanned
    /// out to the source's destinations.
    ///
    /// A request that fails verification is counted on the source with its reason, and the
    /// error says only that verification failed. A provider's redelivery of an event seen in
    /// the idempotency window is acknowledged with the original event and not fanned out again.
    public func ingest(slug: String, request: InboundVerifier.Request) async throws(SwitchboardError) -> PublishResult {
        let notFound = SwitchboardError(.notFound, code: "source_not_found", message: "no source at this URL")
        guard slug.count <= 64, let source = try await storeCall({ try await store.source(slug: slug) }) else { throw notFound }
        guard request.body.count <= configuration.maxPayloadBytes else {
            try await reject(source, reason: "body of \(request.body.count) bytes is over the \(configuration.maxPayloadBytes)-byte limit")
            throw SwitchboardError(.tooLarge, code: "payload_too_large", message: "body is larger than \(configuration.maxPayloadBytes) bytes")
        }
        let verified: InboundVerifier.Verified
        do {
            verified = try source.verifier(at: clock.now()).verify(request, now: clock.now())
        } catch {
            try await reject(source, reason: error.reason)
            throw SwitchboardError(.unauthorized, code: "verification_failed", message: "the request could not be verified")
        }
        guard JSONValue.parse(request.body) != nil else {
            try await reject(source, reason: "body is not JSON")
            throw SwitchboardError(.badRequest, code: "body_not_json", message: "the body must be JSON; set the webhook's content type to application/json")
        }
        guard EventType.isValid(verified.eventType) else {
            try await reject(source, reason: "event type '\(verified.eventType.prefix(64))' is not a valid name")
            throw .invalid("type", "the event type must be 1–\(EventType.maxLength) letters, digits or ._-:/")
        }
        // The receipt is announced by the `eventPublished` change (an event with the source's id),
        // which is what the source's `eventsReceived` counts.
        return try await publish(
            PublishRequest(
                tenantID: source.tenantID, eventType: verified.eventType, payload: request.body,
                idempotencyKey: verified.dedupeKey.map { "\(source.id):\($0.prefix(200))" }, origin: .source,
                sourceID: source.id, sourceHeaders: verified.forwardedHeaders))
    }

    /// Counts a refused request in memory (written in batches) and answers 429 once the
    /// source's refusals pass their bucket.
    private func reject(_ source: Source, reason: String) async throws(SwitchboardError) {
        logger.debug("inbound request refused", metadata: ["source": "\(source.id)", "reason": "\(reason)"])
        let outcome = sourceRejections.record(sourceID: source.id, reason: reason, at: clock.now())
        if outcome.shouldFlush { await flushSourceRejections() }
        guard outcome.decision.allowed else {
            throw SwitchboardError(
                .rateLimited(outcome.decision), code: "rate_limited",
                message: "too many refused requests for this source")
        }
    }

    /// Writes the refused requests counted since the last call in one store call and
    /// announces the sources it changed. On a store failure the counts are kept for the next call.
    public func flushSourceRejections() async {
        let tallies = sourceRejections.drain()
        guard !tallies.isEmpty else { return }
        do {
            let updated = try await store.recordSourceRejections(tallies)
            for source in updated { feed.publish(.sourceChanged(source)) }
            logger.notice(
                "inbound requests refused", metadata: ["sources": "\(tallies.count)", "refused": "\(tallies.reduce(0) { $0 + $1.count })"])
        } catch {
            sourceRejections.restore(tallies)
            logger.error("writing refused inbound requests failed; keeping the counts", metadata: ["error_type": "\(type(of: error))"])
        }
    }
}
