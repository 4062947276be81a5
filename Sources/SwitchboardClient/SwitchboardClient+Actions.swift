import Foundation
import SwitchboardCore

extension SwitchboardClient {
    /// Replays the event to `endpointIDs` (every subscribed endpoint when empty); returns the
    /// new event as the server now has it.
    public func replay(eventID: String, endpointIDs: [String], tenant: TenantID) async throws(ClientError) -> PublishResult {
        let body = endpointIDs.isEmpty ? Data("{}".utf8) : Self.encode(["endpoint_ids": endpointIDs])
        let replay = try await send(request(.POST, "/v1/events/\(Self.escape(eventID))/replay", body: body), as: ReplayWire.self)
        let detail = try await eventDetail(id: replay.id, tenant: tenant)
        return PublishResult(event: detail.event, deliveries: detail.deliveries, isDuplicate: false)
    }

    /// Makes one delivery due now.
    public func retryDelivery(id: String, tenant: TenantID) async throws(ClientError) -> Delivery {
        try await send(request(.POST, "/v1/deliveries/\(Self.escape(id))/retry", body: Data("{}".utf8)), as: DeliveryWire.self).delivery(tenantID: tenant)
    }

    /// Enables the endpoint (resuming its paused deliveries) or disables it (pausing them).
    public func setEndpointEnabled(id: String, enabled: Bool, tenant: TenantID) async throws(ClientError) -> Endpoint {
        let path = "/v1/endpoints/\(Self.escape(id))/\(enabled ? "enable" : "disable")"
        return try await send(request(.POST, path, body: Data("{}".utf8)), as: EndpointWire.self).endpoint(tenantID: tenant)
    }

    /// Rotates the endpoint's signing secret; the new secret stays on the server.
    public func rotateSecret(endpointID: String, tenant: TenantID) async throws(ClientError) -> Endpoint {
        let path = "/v1/endpoints/\(Self.escape(endpointID))/rotate-secret"
        return try await send(request(.POST, path, body: Data("{}".utf8)), as: EndpointWire.self).endpoint(tenantID: tenant)
    }
}
