import Foundation
import SwitchboardCore

/// What the console needs from the dispatcher: the ``Switchboard`` facade's reads and
/// actions, for every tenant. ``SwitchboardOperations`` is the real one; tests use fakes.
protocol ConsoleOperations: Sendable {
    func now() -> Date
    func healthSnapshot() async throws -> [String: EndpointHealthBoard.Snapshot]
    func gauges() async throws -> StoreGauges
    func endpoints() async throws -> [Endpoint]
    /// Inbound sources of every tenant, oldest first.
    func sources() async throws -> [Source]
    func events(_ query: EventQuery) async throws -> Page<Event>
    func eventDetail(_ event: EventRef) async throws -> EventDetail
    /// Failed and retrying deliveries of every tenant, newest first.
    func failedDeliveries(limit: Int) async throws -> [FailedDelivery]
    /// The retry queue per endpoint, every tenant's, largest first.
    func queueSummary() async throws -> [QueueGroup]
    /// One endpoint's queue, soonest first.
    func queuedDeliveries(endpointID: String, tenantID: TenantID, limit: Int) async throws -> [Delivery]
    /// What a whole id names, in any tenant.
    func locate(id: String) async throws -> LocatedID
    /// The server's recent log lines, warnings and errors first; `nil` when it keeps none.
    func recentLogs(limit: Int) async throws -> [LogEntry]?
    /// Requeues the event's failed deliveries to enabled endpoints, in one operation.
    func retryFailedDeliveries(_ event: EventRef) async throws -> [Delivery]
    /// Requeues the endpoint's deliveries that failed since `since`; returns how many.
    func recoverEndpoint(id: String, tenantID: TenantID, since: Date) async throws -> Int
    func replay(_ event: EventRef, endpointIDs: [String]) async throws -> PublishResult
    func retryDelivery(id: String, tenantID: TenantID) async throws -> Delivery
    func setEndpointEnabled(id: String, tenantID: TenantID, enabled: Bool) async throws -> Endpoint
    func rotateSecret(endpointID: String, tenantID: TenantID) async throws -> Endpoint
}

/// The console's operations over the ``Switchboard`` facade: listings across every tenant
/// (`tenant: nil`), actions in the row's own tenant.
struct SwitchboardOperations: ConsoleOperations {
    let switchboard: Switchboard

    func now() -> Date { switchboard.clock.now() }
    func healthSnapshot() async throws -> [String: EndpointHealthBoard.Snapshot] { switchboard.health.snapshot() }
    func gauges() async throws -> StoreGauges { try await switchboard.gauges() }
    func endpoints() async throws -> [Endpoint] { try await switchboard.endpoints(tenant: nil) }
    func sources() async throws -> [Source] { try await switchboard.sources(tenant: nil) }
    func events(_ query: EventQuery) async throws -> Page<Event> { try await switchboard.events(query) }

    func eventDetail(_ event: EventRef) async throws -> EventDetail {
        try await switchboard.eventDetail(id: event.id, tenant: event.tenantID)
    }

    func failedDeliveries(limit: Int) async throws -> [FailedDelivery] {
        try await switchboard.failedDeliveries(tenant: nil, limit: min(limit, Switchboard.maxTriageLimit))
    }

    func queueSummary() async throws -> [QueueGroup] { try await switchboard.queueSummary(tenant: nil) }

    func queuedDeliveries(endpointID: String, tenantID: TenantID, limit: Int) async throws -> [Delivery] {
        try await switchboard.queuedDeliveries(endpointID: endpointID, tenant: tenantID, limit: min(limit, Switchboard.maxTriageLimit))
    }

    func locate(id: String) async throws -> LocatedID { try await switchboard.locate(id: id, tenant: nil) }

    func recentLogs(limit: Int) async throws -> [LogEntry]? {
        switchboard.logRing?.entries(limit: limit, order: .severity)
    }

    func retryFailedDeliveries(_ event: EventRef) async throws -> [Delivery] {
        try await switchboard.retryFailedDeliveries(eventID: event.id, tenant: event.tenantID)
    }

    func recoverEndpoint(id: String, tenantID: TenantID, since: Date) async throws -> Int {
        try await switchboard.recoverEndpoint(id: id, tenant: tenantID, since: since).count
    }

    func replay(_ event: EventRef, endpointIDs: [String]) async throws -> PublishResult {
        try await switchboard.replayEvent(id: event.id, tenant: event.tenantID, endpointIDs: endpointIDs)
    }

    func retryDelivery(id: String, tenantID: TenantID) async throws -> Delivery {
        try await switchboard.retryDelivery(id: id, tenant: tenantID)
    }

    func setEndpointEnabled(id: String, tenantID: TenantID, enabled: Bool) async throws -> Endpoint {
        enabled
            ? try await switchboard.enableEndpoint(id: id, tenant: tenantID)
            : try await switchboard.disableEndpoint(id: id, tenant: tenantID)
    }

    func rotateSecret(endpointID: String, tenantID: TenantID) async throws -> Endpoint {
        try await switchboard.rotateSecret(endpointID: endpointID, tenant: tenantID)
    }
}
