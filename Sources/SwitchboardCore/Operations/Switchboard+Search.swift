import Foundation

extension Switchboard {
    /// Most rows ``failedDeliveries(tenant:limit:)`` and ``queuedDeliveries(endpointID:tenant:limit:)`` return.
    public static let maxTriageLimit = 500

    /// Deliveries that failed for good or are retrying after a failure, newest first, each with
    /// its event type and endpoint URL; every tenant's when `tenant` is `nil` (console).
    public func failedDeliveries(tenant: TenantID?, limit: Int = 100) async throws(SwitchboardError) -> [FailedDelivery] {
        guard (1...Self.maxTriageLimit).contains(limit) else { throw .invalid("limit", "must be between 1 and \(Self.maxTriageLimit)") }
        return try await storeCall { try await store.failedDeliveries(tenant: tenant, limit: limit) }
    }

    /// The retry queue per endpoint (waiting, paused and scheduled counts, next due), largest first.
    public func queueSummary(tenant: TenantID?) async throws(SwitchboardError) -> [QueueGroup] {
        try await storeCall { try await store.queueSummary(tenant: tenant) }
    }

    /// One endpoint's queue, soonest first, then its paused deliveries.
    public func queuedDeliveries(endpointID: String, tenant: TenantID?, limit: Int = 100) async throws(SwitchboardError) -> [Delivery] {
        guard (1...Self.maxTriageLimit).contains(limit) else { throw .invalid("limit", "must be between 1 and \(Self.maxTriageLimit)") }
        return try await storeCall { try await store.queuedDeliveries(endpointID: endpointID, tenant: tenant, limit: limit) }
    }

    /// What a whole `evt_`, `dlv_`, `att_`, `ep_` or `src_` id names, in `tenant` (any tenant
    /// when `nil`). Throws `not_found` when there is no such id.
    public func locate(id: String, tenant: TenantID?) async throws(SwitchboardError) -> LocatedID {
        guard let located = try await storeCall({ try await store.locate(id: id, tenant: tenant) }) else {
            throw SwitchboardError(.notFound, code: "not_found", message: "no event, delivery, attempt, endpoint or source \(id)")
        }
        return located
    }
}
