import Foundation

extension Switchboard {
    /// Publishes a copy of an event as a new event (`replay_of` pointing back) and marks the
    /// original `REPLAYED`. Fans out to the endpoints subscribed now, or only to `endpointIDs`.
    public func replayEvent(id: String, tenant: TenantID, endpointIDs: [String]? = nil) async throws(SwitchboardError) -> PublishResult {
        let original = try await event(id: id, tenant: tenant)
        if let endpointIDs {
            guard !endpointIDs.isEmpty else { throw .invalid("endpoint_ids", "must name at least one endpoint when given") }
            let known = Set(try await endpoints(tenant: tenant).map(\.id))
            if let unknown = endpointIDs.first(where: { !known.contains($0) }) {
                throw .invalid("endpoint_ids", "no endpoint \(unknown) in this tenant")
            }
        }
        let result = try await publish(
            PublishRequest(
                tenantID: tenant, eventType: original.eventType, payload: original.payload, origin: .replay,
                replayOf: original.id, sourceID: original.sourceID, correlationID: original.correlationID,
                sourceHeaders: original.sourceHeaders, endpointIDs: endpointIDs))
        try await storeCall { try await store.setEventStatus(id: original.id, tenant: tenant, status: .replayed) }
        feed.publish(.eventStatusChanged(EventStatusChange(eventID: original.id, tenantID: tenant, status: .replayed)))
        return result
    }

    /// Makes one delivery due now, whatever its state, recording a new attempt when it runs.
    public func retryDelivery(id: String, tenant: TenantID) async throws(SwitchboardError) -> Delivery {
        let current = try await delivery(id: id, tenant: tenant)
        switch current.state {
        case .inFlight:
            throw SwitchboardError(.conflict, code: "delivery_in_flight", message: "delivery \(id) is being attempted right now")
        case .cancelled:
            throw SwitchboardError(.conflict, code: "endpoint_deleted", message: "delivery \(id) was cancelled because its endpoint was deleted")
        default:
            break
        }
        let endpoint = try await storeCall { try await store.endpoint(id: current.endpointID, tenant: tenant) }
        guard let endpoint else {
            throw SwitchboardError(.conflict, code: "endpoint_deleted", message: "endpoint \(current.endpointID) of delivery \(id) was deleted")
        }
        guard endpoint.enabled else {
            throw SwitchboardError(.conflict, code: "endpoint_disabled", message: "endpoint \(endpoint.id) is disabled; enable it first")
        }
        guard let updated = try await storeCall({ try await store.requeueDelivery(id: id, tenant: tenant, at: clock.now()) }) else {
            throw .notFound("delivery", id: id)
        }
        feed.publish(.deliveryStateChanged(updated))
        deliveriesBecameDue()
        return updated
    }

    /// Requeues every failed delivery of the endpoint created in `since..<until` (until now when `nil`).
    public func recoverEndpoint(id: String, tenant: TenantID, since: Date, until: Date? = nil) async throws(SwitchboardError) -> [Delivery] {
        let now = clock.now()
        let end = until ?? now
        guard since < end else { throw .invalid("since", "must be before until") }
        let endpoint = try await endpoint(id: id, tenant: tenant)
        guard endpoint.enabled else {
            throw SwitchboardError(.conflict, code: "endpoint_disabled", message: "endpoint \(id) is disabled; enable it first")
        }
        let requeued = try await storeCall {
            try await store.requeueFailedDeliveries(endpointID: id, tenant: tenant, since: since, until: end, at: now)
        }
        feed.publish(requeued.map { Change.deliveryStateChanged($0) })
        if !requeued.isEmpty { deliveriesBecameDue() }
        return requeued
    }

    /// Requeues the event's failed deliveries whose endpoint is enabled, in one transaction,
    /// due now; deliveries to paused or deleted endpoints stay failed. Returns the requeued
    /// deliveries (empty when none qualified); throws `not_found` when the event is absent.
    public func retryFailedDeliveries(eventID: String, tenant: TenantID) async throws(SwitchboardError) -> [Delivery] {
        _ = try await event(id: eventID, tenant: tenant)
        let requeued = try await storeCall { try await store.requeueFailedDeliveries(eventID: eventID, tenant: tenant, at: clock.now()) }
        feed.publish(requeued.map { Change.deliveryStateChanged($0) })
        if !requeued.isEmpty { deliveriesBecameDue() }
        return requeued
    }
}
