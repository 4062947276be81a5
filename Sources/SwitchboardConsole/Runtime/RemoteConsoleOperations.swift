import Foundation
import SwitchboardClient
import SwitchboardCore

/// The console's operations over a server's HTTP API, for `switchboard console --url`.
///
/// Everything is in the API key's tenant; actions need a key with the write scope (the
/// server refuses them otherwise, and a read-only console hides them).
struct RemoteConsoleOperations: ConsoleOperations {
    let client: SwitchboardClient
    let tenant: TenantID

    func now() -> Date { Date() }
    func healthSnapshot() async throws -> [String: EndpointHealthBoard.Snapshot] { try await client.endpointHealth() }
    func gauges() async throws -> StoreGauges { try await client.gauges() }
    func endpoints() async throws -> [Endpoint] { try await client.endpoints(tenant: tenant) }
    func sources() async throws -> [Source] { try await client.sources(tenant: tenant) }
    func events(_ query: EventQuery) async throws -> Page<Event> { try await client.events(query, tenant: tenant) }
    func eventDetail(_ event: EventRef) async throws -> EventDetail { try await client.eventDetail(id: event.id, tenant: tenant) }

    func failedDeliveries(limit: Int) async throws -> [FailedDelivery] { try await client.failedDeliveries(limit: limit, tenant: tenant) }
    func queueSummary() async throws -> [QueueGroup] { try await client.queueSummary(tenant: tenant) }

    func queuedDeliveries(endpointID: String, tenantID: TenantID, limit: Int) async throws -> [Delivery] {
        try await client.queuedDeliveries(endpointID: endpointID, limit: limit, tenant: tenant)
    }

    func locate(id: String) async throws -> LocatedID { try await client.locate(id: id, tenant: tenant) }

    /// `nil` (the log view says the server keeps none for this key) unless the key is an admin's.
    func recentLogs(limit: Int) async throws -> [LogEntry]? {
        do {
            return try await client.recentLogs(limit: limit)
        } catch where error.kind == .forbidden {
            return nil
        }
    }

    func retryFailedDeliveries(_ event: EventRef) async throws -> [Delivery] {
        try await client.retryFailedDeliveries(eventID: event.id, tenant: tenant)
    }

    func recoverEndpoint(id: String, tenantID: TenantID, since: Date) async throws -> Int {
        try await client.recoverEndpoint(id: id, since: since)
    }

    func replay(_ event: EventRef, endpointIDs: [String]) async throws -> PublishResult {
        try await client.replay(eventID: event.id, endpointIDs: endpointIDs, tenant: tenant)
    }

    func retryDelivery(id: String, tenantID: TenantID) async throws -> Delivery {
        try await client.retryDelivery(id: id, tenant: tenant)
    }

    func setEndpointEnabled(id: String, tenantID: TenantID, enabled: Bool) async throws -> Endpoint {
        try await client.setEndpointEnabled(id: id, enabled: enabled, tenant: tenant)
    }

    func rotateSecret(endpointID: String, tenantID: TenantID) async throws -> Endpoint {
        try await client.rotateSecret(endpointID: endpointID, tenant: tenant)
    }
}
