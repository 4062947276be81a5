import Foundation

/// Turns a batch of publish requests into stored events and deliveries, in one transaction.
///
/// With a `handoff` (a store that claims in publishes), the same transaction claims what the
/// dispatcher has room for at the batch's endpoints, oldest due first, and the jobs are handed
/// to it once the batch commits, so they are sent without a claim of the dispatcher's own.
struct FanOut: Sendable {
    let store: any Store
    let clock: any WallClock
    let idempotencyWindow: TimeInterval
    let handoff: DeliveryHandoff?
    let endpoints: EndpointCache

    func commit(_ requests: [PublishRequest]) async throws -> [InsertOutcome] {
        let now = clock.now()
        var endpointsByTenant: [TenantID: [Endpoint]] = [:]
        for tenant in Set(requests.map(\.tenantID)) {
            endpointsByTenant[tenant] = try await endpoints.endpoints(tenant: tenant) { try await store.endpoints(tenant: tenant) }
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
        guard let handoff else { return try await store.insertEvents(batch) }

        let endpointsByID = Dictionary(endpointsByTenant.values.joined().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Room for as many as the batch brings each endpoint: its claim takes the oldest due,
        // and an older backlog it leaves is the dispatcher's to claim, in order. Reserving
        // more would crowd out a claim of the dispatcher's running at the same time.
        var demand: [String: Int] = [:]
        for item in batch {
            for delivery in item.deliveries where delivery.state == .pending { demand[delivery.endpointID, default: 0] += 1 }
        }
        let reservation = handoff.reserve(
            demand.compactMap { id, count in endpointsByID[id].map { (endpoint: $0, count: count) } }, now: now)
        let commit: PublishCommit
        do {
            commit = try await store.insertEvents(
                batch,
                claiming: reservation.map {
                    PublishClaim(now: now, limits: $0.counts, leaseToken: $0.leaseToken, leaseExpiresAt: $0.leaseExpiresAt)
                })
        } catch {
            if let reservation { handoff.cancel(reservation) }
            throw error
        }
        let jobs = commit.claimed.compactMap { claimed in
            endpointsByID[claimed.delivery.endpointID].map { DeliveryJob(delivery: claimed.delivery, event: claimed.event, endpoint: $0) }
        }
        // Pending deliveries left at endpoints the claim could not take: the dispatcher claims them.
        var behind = Set<String>()
        for case .inserted(_, let deliveries) in commit.outcomes {
            for delivery in deliveries where delivery.state == .pending && reservation?.counts[delivery.endpointID] == nil {
                behind.insert(delivery.endpointID)
            }
        }
        if !behind.isEmpty { handoff.noteBacklog(behind) }
        if let reservation {
            let refused = handoff.handOver(jobs, reservation: reservation, stillWaiting: commit.stillWaiting)
            await handBack(refused, at: now)
        }
        return commit.outcomes
    }

    /// Makes handed-over deliveries the dispatcher could not take due again, for a claim.
    private func handBack(_ jobs: [DeliveryJob], at now: Date) async {
        guard !jobs.isEmpty else { return }
        let releases = jobs.compactMap(ClaimRelease.init)
        // If this fails too, the deliveries' leases lapse and they are claimed then.
        try? await store.releaseClaims(releases, at: now)
    }
}
