import Foundation

/// Turns a batch of publish requests into stored events and deliveries, in one transaction.
struct FanOut: Sendable {
    let store: any Store
    let clock: any WallClock
    let idempotencyWindow: TimeInterval

    func commit(_ requests: [PublishRequest]) async throws -> [InsertOutcome] {
        let now = clock.now()
        var endpointsByTenant: [TenantID: [Endpoint]] = [:]
        for tenant in Set(requests.map(\.tenantID)) {
            endpointsByTenant[tenant] = try await store.endpoints(tenant: tenant)
        }
        let batch = requests.map { request in
            let event = Event(
                id: Identifier.make(.event, at: now), tenantID: request.tenantID, eventType: request.eventType,
                payload: request.payload, origin: request.origin, idempotencyKey: request.idempotencyKey,
                replayOf: request.replayOf, sourceID: request.sourceID, correlationID: request.correlationID,
                sourceHeaders: request.sourceHeaders, createdAt: now)
            let targets = (endpointsByTenant[request.tenantID] ?? []).filter { endpoint in
                if let only = request.endpointIDs { return only.contains(endpoint.id) }
                if let sourceID = request.sourceID {
                    return endpoint.sourceIDs.contains(sourceID) && endpoint.subscribes(to: request.eventType)
                }
                return endpoint.sourceIDs.isEmpty && endpoint.subscribes(to: request.eventType)
            }
            let deliveries = targets.map { endpoint in
                Delivery(
                    id: Identifier.make(.delivery, at: now), tenantID: request.tenantID, eventID: event.id,
                    endpointID: endpoint.id, state: endpoint.enabled ? .pending : .paused,
                    nextAttemptAt: now, createdAt: now, updatedAt: now)
            }
            return NewEvent(
                event: event, deliveries: deliveries, requestHash: request.requestHash,
                idempotencyWindowStart: request.idempotencyKey == nil ? nil : now.addingTimeInterval(-idempotencyWindow))
        }
        return try await store.insertEvents(batch)
    }
}
