import Foundation
import SwitchboardCore

/// A store whose health check and gauges fail while everything else works: what `/healthz`
/// and `/metrics` see when the database stops answering.
struct UnhealthyStore: Store {
    let base: any Store

    func checkHealth() async throws { throw StoreError.unavailable("disk on fire") }
    func gauges() async throws -> StoreGauges { throw StoreError.unavailable("disk on fire") }

    func insertAPIKey(_ key: APIKey) async throws { try await base.insertAPIKey(key) }
    func apiKey(hash: String) async throws -> APIKey? { try await base.apiKey(hash: hash) }
    func apiKeys(tenant: TenantID?) async throws -> [APIKey] { try await base.apiKeys(tenant: tenant) }
    func revokeAPIKey(id: String, tenant: TenantID?, at date: Date) async throws -> Bool {
        try await base.revokeAPIKey(id: id, tenant: tenant, at: date)
    }
    func activeAdminKeyCount() async throws -> Int { try await base.activeAdminKeyCount() }
    func insertEndpoint(_ endpoint: Endpoint) async throws { try await base.insertEndpoint(endpoint) }
    func endpoint(id: String, tenant: TenantID) async throws -> Endpoint? { try await base.endpoint(id: id, tenant: tenant) }
    func endpoints(tenant: TenantID?) async throws -> [Endpoint] { try await base.endpoints(tenant: tenant) }
    func updateEndpoint(_ endpoint: Endpoint) async throws { try await base.updateEndpoint(endpoint) }
    func setEndpointEnabled(id: String, tenant: TenantID, enabled: Bool, reason: String?, at date: Date) async throws -> Endpoint? {
        try await base.setEndpointEnabled(id: id, tenant: tenant, enabled: enabled, reason: reason, at: date)
    }
    func deleteEndpoint(id: String, tenant: TenantID, at date: Date) async throws -> Bool {
        try await base.deleteEndpoint(id: id, tenant: tenant, at: date)
    }
    func insertSource(_ source: Source) async throws { try await base.insertSource(source) }
    func source(id: String, tenant: TenantID) async throws -> Source? { try await base.source(id: id, tenant: tenant) }
    func source(slug: String) async throws -> Source? { try await base.source(slug: slug) }
    func sources(tenant: TenantID?) async throws -> [Source] { try await base.sources(tenant: tenant) }
    func updateSource(_ source: Source) async throws { try await base.updateSource(source) }
    func deleteSource(id: String, tenant: TenantID) async throws -> Bool { try await base.deleteSource(id: id, tenant: tenant) }
    func recordSourceRejection(id: String, reason: String, at date: Date) async throws -> Source? {
        try await base.recordSourceRejection(id: id, reason: reason, at: date)
    }
    func recordSourceRejections(_ tallies: [SourceRejectionTally]) async throws -> [Source] {
        try await base.recordSourceRejections(tallies)
    }
    func purgeExpiredEvents(_ request: PurgeRequest) async throws -> PurgeResult { try await base.purgeExpiredEvents(request) }
    func insertEvents(_ batch: [NewEvent]) async throws -> [InsertOutcome] { try await base.insertEvents(batch) }
    func event(id: String, tenant: TenantID) async throws -> Event? { try await base.event(id: id, tenant: tenant) }
    func events(_ query: EventQuery) async throws -> Page<Event> { try await base.events(query) }
    func delivery(id: String, tenant: TenantID) async throws -> Delivery? { try await base.delivery(id: id, tenant: tenant) }
    func deliveries(eventID: String, tenant: TenantID) async throws -> [Delivery] {
        try await base.deliveries(eventID: eventID, tenant: tenant)
    }
    func attempts(deliveryID: String, tenant: TenantID) async throws -> [Attempt] {
        try await base.attempts(deliveryID: deliveryID, tenant: tenant)
    }
    func attempts(eventID: String, tenant: TenantID) async throws -> [Attempt] { try await base.attempts(eventID: eventID, tenant: tenant) }
    func retryQueue(tenant: TenantID?, limit: Int) async throws -> [Delivery] { try await base.retryQueue(tenant: tenant, limit: limit) }
    func failedDeliveries(tenant: TenantID?, limit: Int) async throws -> [FailedDelivery] {
        try await base.failedDeliveries(tenant: tenant, limit: limit)
    }
    func queueSummary(tenant: TenantID?) async throws -> [QueueGroup] { try await base.queueSummary(tenant: tenant) }
    func queuedDeliveries(endpointID: String, tenant: TenantID?, limit: Int) async throws -> [Delivery] {
        try await base.queuedDeliveries(endpointID: endpointID, tenant: tenant, limit: limit)
    }
    func locate(id: String, tenant: TenantID?) async throws -> LocatedID? { try await base.locate(id: id, tenant: tenant) }
    func claimDueDeliveries(_ request: ClaimRequest) async throws -> [DeliveryJob] { try await base.claimDueDeliveries(request) }
    func nextDueDate() async throws -> Date? { try await base.nextDueDate() }
    func requeueInFlight(now: Date) async throws -> Int { try await base.requeueInFlight(now: now) }
    func recordAttempts(_ records: [AttemptRecord]) async throws -> AttemptRecording { try await base.recordAttempts(records) }
    func releaseClaims(_ releases: [ClaimRelease], at date: Date) async throws { try await base.releaseClaims(releases, at: date) }
    func pauseDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int {
        try await base.pauseDeliveries(endpointID: endpointID, tenant: tenant, at: date)
    }
    func resumeDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int {
        try await base.resumeDeliveries(endpointID: endpointID, tenant: tenant, at: date)
    }
    func requeueDelivery(id: String, tenant: TenantID, at date: Date) async throws -> Delivery? {
        try await base.requeueDelivery(id: id, tenant: tenant, at: date)
    }
    func requeueFailedDeliveries(endpointID: String, tenant: TenantID, since: Date, until: Date, at date: Date) async throws -> [Delivery] {
        try await base.requeueFailedDeliveries(endpointID: endpointID, tenant: tenant, since: since, until: until, at: date)
    }
    func requeueFailedDeliveries(eventID: String, tenant: TenantID, at date: Date) async throws -> [Delivery] {
        try await base.requeueFailedDeliveries(eventID: eventID, tenant: tenant, at: date)
    }
    func setEventStatus(id: String, tenant: TenantID, status: Event.Status) async throws {
        try await base.setEventStatus(id: id, tenant: tenant, status: status)
    }
    func usage(tenant: TenantID, since: Date) async throws -> Usage { try await base.usage(tenant: tenant, since: since) }
}
