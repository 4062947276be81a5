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
    func retryQueue(limit: Int) async throws -> [Delivery]
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

    func retryQueue(limit: Int) async throws -> [Delivery] { try await switchboard.retryQueue(tenant: nil, limit: limit) }

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
