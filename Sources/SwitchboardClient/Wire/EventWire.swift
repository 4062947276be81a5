import Foundation
import SwitchboardCore

/// An event as the API lists it (`GET /v1/events`, `event.published`), without its payload.
struct EventWire: Decodable {
    var id: String
    var eventType: String
    var status: String
    var origin: String
    var replayOf: String?
    var sourceId: String?
    var idempotencyKey: String?
    var createdAt: Date

    func event(tenantID: TenantID, payload: Data = Data(), correlationID: String? = nil) -> Event {
        Event(
            id: id, tenantID: tenantID, eventType: eventType, payload: payload, origin: Event.Origin(rawValue: origin) ?? .api,
            status: Event.Status(rawValue: status) ?? .queued, idempotencyKey: idempotencyKey, replayOf: replayOf,
            sourceID: sourceId, correlationID: correlationID, createdAt: createdAt)
    }
}

/// `GET /v1/events/{id}`: the event's summary fields, its payload and its deliveries with
/// their attempts, in one object.
struct EventDetailWire: Decodable {
    var summary: EventWire
    var correlationId: String?
    var payload: JSONValue?
    var deliveries: [DeliveryWire]

    private enum CodingKeys: String, CodingKey { case correlationId, payload, deliveries }

    init(from decoder: any Decoder) throws {
        summary = try EventWire(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        correlationId = try container.decodeIfPresent(String.self, forKey: .correlationId)
        payload = try container.decodeIfPresent(JSONValue.self, forKey: .payload)
        deliveries = try container.decode([DeliveryWire].self, forKey: .deliveries)
    }

    func detail(tenantID: TenantID) -> EventDetail {
        let event = summary.event(tenantID: tenantID, payload: payload?.canonicalData() ?? Data(), correlationID: correlationId)
        return EventDetail(
            event: event, deliveries: deliveries.map { $0.delivery(tenantID: tenantID) },
            attempts: deliveries.flatMap { ($0.attempts ?? []).map { $0.attempt(tenantID: tenantID) } })
    }
}

/// `GET /v1/events`.
struct EventPageWire: Decodable {
    var events: [EventWire]
    var total: Int
}

/// The answer to a replay.
struct ReplayWire: Decodable {
    var id: String
    var status: String
    var replayOf: String
    var deliveryIds: [String]
}
