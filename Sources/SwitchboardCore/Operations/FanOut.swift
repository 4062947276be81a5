import Foundation

/// Turns a batch of publish requests into stored events and deliveries, in one transaction.
///
/// With a `handoff` (a store that keeps leases at insert), deliveries of endpoints the
/// dispatcher has room for are stored `in_flight` under a lease and handed to it once the
/// batch commits, so they are sent without being claimed.
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
        var batch = requests.map { request in
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
        let reservation = reserve(for: &batch, endpoints: endpointsByID, handoff: handoff, now: now)
        let outcomes: [InsertOutcome]
        do {
            outcomes = try await store.insertEvents(batch)
        } catch {
            if let reservation { handoff.cancel(reservation) }
            throw error
        }
        var jobs: [DeliveryJob] = []
        var behind = Set<String>()
        for case .inserted(let event, let deliveries) in outcomes {
            for delivery in deliveries {
                if delivery.state == .inFlight, let endpoint = endpointsByID[delivery.endpointID] {
                    jobs.append(DeliveryJob(delivery: delivery, event: event, endpoint: endpoint))
                } else if delivery.state == .pending {
                    behind.insert(delivery.endpointID)
                }
            }
        }
        if !behind.isEmpty { handoff.noteBacklog(behind) }
        if let reservation {
            let refused = handoff.handOver(jobs, reservation: reservation)
            await handBack(refused, at: now)
        }
        return outcomes
    }

    /// Reserves the dispatcher's room for the batch's deliveries and puts the first of each
    /// endpoint that fit under the reservation's lease; `nil` when none fit.
    private func reserve(
        for batch: inout [NewEvent], endpoints: [String: Endpoint], handoff: DeliveryHandoff, now: Date
    ) -> DeliveryHandoff.Reservation? {
        var demand: [String: Int] = [:]
        for item in batch {
            for delivery in item.deliveries where delivery.state == .pending { demand[delivery.endpointID, default: 0] += 1 }
        }
        guard
            let reservation = handoff.reserve(
                demand.compactMap { id, count in endpoints[id].map { (endpoint: $0, count: count) } }, now: now)
        else { return nil }
        var room = reservation.counts
        for itemIndex in batch.indices {
            for deliveryIndex in batch[itemIndex].deliveries.indices {
                let endpointID = batch[itemIndex].deliveries[deliveryIndex].endpointID
                guard batch[itemIndex].deliveries[deliveryIndex].state == .pending, room[endpointID, default: 0] > 0 else { continue }
                room[endpointID]! -= 1
                batch[itemIndex].deliveries[deliveryIndex].state = .inFlight
                batch[itemIndex].deliveries[deliveryIndex].leaseToken = reservation.leaseToken
                batch[itemIndex].deliveries[deliveryIndex].leaseExpiresAt = reservation.leaseExpiresAt
            }
        }
        return reservation
    }

    /// Makes handed-over deliveries the dispatcher could not take due again, for a claim.
    private func handBack(_ jobs: [DeliveryJob], at now: Date) async {
        guard !jobs.isEmpty else { return }
        let releases = jobs.compactMap { job in job.delivery.leaseToken.map { ClaimRelease(deliveryID: job.delivery.id, leaseToken: $0) } }
        // If this fails too, the deliveries' leases lapse and they are claimed then.
        try? await store.releaseClaims(releases, at: now)
    }
}
