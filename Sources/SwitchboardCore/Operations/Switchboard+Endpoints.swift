import Foundation

extension Switchboard {
    /// Creates an endpoint with a new secret; the returned endpoint is the only place the
    /// secret is shown.
    public func createEndpoint(_ draft: EndpointDraft, tenant: TenantID) async throws(SwitchboardError) -> Endpoint {
        try draft.validate()
        if let id = draft.id { try EndpointValidation.id(id, tenant: tenant) }
        try checkDestinationAllowed(draft.url)
        try await checkSourcesExist(draft.sourceIDs, tenant: tenant)
        guard try await endpoints(tenant: tenant).count < EndpointValidation.maxEndpointsPerTenant else {
            throw SwitchboardError(
                .conflict, code: "endpoint_limit_reached",
                message: "a tenant may have at most \(EndpointValidation.maxEndpointsPerTenant) endpoints; delete one first")
        }
        let now = clock.now()
        let endpoint = Endpoint(
            id: draft.id ?? Identifier.make(.endpoint, at: now), tenantID: tenant, name: draft.name, url: draft.url,
            description: draft.description, eventTypes: draft.eventTypes, authMode: draft.authMode,
            secret: WebhookSigner.generateSecret(), maxConcurrency: draft.maxConcurrency ?? configuration.endpointConcurrency,
            rateLimitPerSecond: draft.rateLimitPerSecond,
            headers: draft.headers, sourceIDs: draft.sourceIDs, createdAt: now, updatedAt: now)
        do {
            try await storeCall { try await store.insertEndpoint(endpoint) }
        } catch where error.kind == .conflict {
            throw SwitchboardError(.conflict, code: "endpoint_exists", message: "endpoint \(endpoint.id) already exists", field: "id")
        }
        feed.publish(.endpointChanged(endpoint))
        return endpoint
    }

    /// The tenant's endpoints (every tenant's when `nil`), oldest first.
    public func endpoints(tenant: TenantID?) async throws(SwitchboardError) -> [Endpoint] {
        try await storeCall { try await store.endpoints(tenant: tenant) }
    }

    public func endpoint(id: String, tenant: TenantID) async throws(SwitchboardError) -> Endpoint {
        guard let endpoint = try await storeCall({ try await store.endpoint(id: id, tenant: tenant) }) else {
            throw .notFound("endpoint", id: id)
        }
        return endpoint
    }

    public func updateEndpoint(id: String, tenant: TenantID, patch: EndpointPatch) async throws(SwitchboardError) -> Endpoint {
        try patch.validate()
        if let url = patch.url { try checkDestinationAllowed(url) }
        if let sourceIDs = patch.sourceIDs { try await checkSourcesExist(sourceIDs, tenant: tenant) }
        var endpoint = patch.applied(to: try await endpoint(id: id, tenant: tenant))
        endpoint.updatedAt = clock.now()
        let updated = endpoint
        try await storeCall { try await store.updateEndpoint(updated) }
        feed.publish(.endpointChanged(updated))
        return updated
    }

    /// Throws `url_not_allowed` (422) when the destination policy refuses deliveries to `url`.
    private func checkDestinationAllowed(_ url: String) throws(SwitchboardError) {
        if let refusal = configuration.destinations.refusal(forURL: url) {
            throw SwitchboardError(.validation, code: "url_not_allowed", message: "url \(refusal)", field: "url")
        }
    }

    /// Throws a validation error naming the first id that is not a source of `tenant`.
    private func checkSourcesExist(_ ids: [String], tenant: TenantID) async throws(SwitchboardError) {
        guard !ids.isEmpty else { return }
        guard ids.count <= 64 else { throw .invalid("source_ids", "at most 64 entries") }
        let known = Set(try await sources(tenant: tenant).map(\.id))
        if let unknown = ids.first(where: { !known.contains($0) }) {
            throw .invalid("source_ids", "no source \(unknown.prefix(64)) in this tenant")
        }
    }

    /// Deletes the endpoint; its unfinished deliveries are cancelled.
    public func deleteEndpoint(id: String, tenant: TenantID) async throws(SwitchboardError) {
        let deleted = try await storeCall { try await store.deleteEndpoint(id: id, tenant: tenant, at: clock.now()) }
        guard deleted else { throw .notFound("endpoint", id: id) }
        health.forget(endpointID: id)
        feed.publish(.endpointDeleted(id: id, tenantID: tenant))
    }

    /// Pauses the endpoint: its waiting and new deliveries are held as `paused`, nothing is dropped.
    @discardableResult
    public func disableEndpoint(id: String, tenant: TenantID, reason: String = "manual") async throws(SwitchboardError) -> Endpoint {
        try await setEnabled(false, id: id, tenant: tenant, reason: reason)
    }

    /// Resumes the endpoint: paused deliveries are due now, in their original order, with a fresh schedule.
    @discardableResult
    public func enableEndpoint(id: String, tenant: TenantID) async throws(SwitchboardError) -> Endpoint {
        try await setEnabled(true, id: id, tenant: tenant, reason: nil)
    }

    private func setEnabled(_ enabled: Bool, id: String, tenant: TenantID, reason: String?) async throws(SwitchboardError) -> Endpoint {
        let before = try await endpoint(id: id, tenant: tenant)
        let stored = try await storeCall {
            try await store.setEndpointEnabled(id: id, tenant: tenant, enabled: enabled, reason: reason, at: clock.now())
        }
        guard let updated = stored else { throw .notFound("endpoint", id: id) }
        if before.enabled != updated.enabled {
            feed.publish(.endpointChanged(updated))
            logger.info(enabled ? "endpoint enabled" : "endpoint disabled", metadata: ["endpoint": "\(id)", "reason": "\(reason ?? "-")"])
            if enabled { deliveriesBecameDue() }
        }
        return updated
    }

    /// Replaces the endpoint's secret. The old one keeps signing beside the new one for
    /// `grace` seconds (signature endpoints default to a day; bearer endpoints switch at once
    /// unless a grace is given). The returned endpoint carries the new secret, shown once.
    public func rotateSecret(endpointID: String, tenant: TenantID, grace: TimeInterval? = nil) async throws(SwitchboardError) -> Endpoint {
        if let grace, grace < 0 || grace > 30 * 86400 {
            throw .invalid("grace_seconds", "must be between 0 and 2592000 (30 days)")
        }
        var endpoint = try await endpoint(id: endpointID, tenant: tenant)
        let now = clock.now()
        let effectiveGrace = grace ?? (endpoint.authMode == .signature ? 86400 : 0)
        endpoint.previousSecret = effectiveGrace > 0 ? endpoint.secret : nil
        endpoint.previousSecretExpiresAt = effectiveGrace > 0 ? now.addingTimeInterval(effectiveGrace) : nil
        endpoint.secret = WebhookSigner.generateSecret()
        endpoint.updatedAt = now
        let updated = endpoint
        try await storeCall { try await store.updateEndpoint(updated) }
        feed.publish(.endpointChanged(updated))
        logger.info("endpoint secret rotated", metadata: ["endpoint": "\(endpointID)", "grace_seconds": "\(Int(effectiveGrace))"])
        return updated
    }
}
