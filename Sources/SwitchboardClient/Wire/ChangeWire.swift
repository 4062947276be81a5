import Foundation
import SwitchboardCore

/// Turns `/v1/stream` events back into the core's ``Change``s, in the key's tenant.
enum ChangeWire {
    private struct Published: Decodable {
        var event: EventWire
        var deliveries: [DeliveryWire]
    }

    private struct StatusChanged: Decodable {
        var eventId: String
        var status: String
    }

    private struct Deleted: Decodable {
        var id: String
    }

    /// The change an SSE event carries; `nil` for names this client does not know (a newer
    /// server's) and for data it cannot read.
    static func change(name: String, data: String, tenant: TenantID) -> Change? {
        let decoder = WireDecoding.decoder()
        let bytes = Data(data.utf8)
        do {
            switch name {
            case "event.published":
                let published = try decoder.decode(Published.self, from: bytes)
                return .eventPublished(published.event.event(tenantID: tenant), deliveries: published.deliveries.map { $0.delivery(tenantID: tenant) })
            case "attempt.recorded":
                let attempt = try decoder.decode(AttemptWire.self, from: bytes)
                return .attemptRecorded(attempt.attempt(tenantID: tenant), delivery: attempt.deliveryState.flatMap(Delivery.State.init(rawValue:)) ?? .pending)
            case "delivery.updated":
                return .deliveryStateChanged(try decoder.decode(DeliveryWire.self, from: bytes).delivery(tenantID: tenant))
            case "event.status":
                let change = try decoder.decode(StatusChanged.self, from: bytes)
                guard let status = Event.Status(rawValue: change.status) else { return nil }
                return .eventStatusChanged(EventStatusChange(eventID: change.eventId, tenantID: tenant, status: status))
            case "endpoint.updated":
                return .endpointChanged(try decoder.decode(EndpointWire.self, from: bytes).endpoint(tenantID: tenant))
            case "endpoint.deleted":
                return .endpointDeleted(id: try decoder.decode(Deleted.self, from: bytes).id, tenantID: tenant)
            case "source.updated":
                return .sourceChanged(try decoder.decode(SourceWire.self, from: bytes).source(tenantID: tenant))
            case "source.deleted":
                return .sourceDeleted(id: try decoder.decode(Deleted.self, from: bytes).id, tenantID: tenant)
            default:
                return nil
            }
        } catch {
            return nil
        }
    }
}
