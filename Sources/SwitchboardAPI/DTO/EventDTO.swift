import Foundation
import SwitchboardCore

/// An event in a list: everything but the payload and deliveries.
struct EventSummaryDTO: Encodable {
    var id: String
    var eventType: String
    var status: String
    var origin: String
    var replayOf: String?
    var sourceId: String?
    var idempotencyKey: String?
    var createdAt: Date

    init(_ event: Event) {
        id = event.id
        eventType = event.eventType
        status = event.status.rawValue
        origin = event.origin.rawValue
        replayOf = event.replayOf
        sourceId = event.sourceID
        idempotencyKey = event.idempotencyKey
        createdAt = event.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, eventType, status, origin, replayOf, sourceId, idempotencyKey, createdAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(eventType, forKey: .eventType)
        try container.encode(status, forKey: .status)
        try container.encode(origin, forKey: .origin)
        try container.encode(replayOf, forKey: .replayOf)
        try container.encode(sourceId, forKey: .sourceId)
        try container.encode(idempotencyKey, forKey: .idempotencyKey)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// An event with its deliveries and their attempts. Its `payload` is appended to the encoded
/// object as stored (see ``JSONCoding/response(_:_:appending:)``) so that no digit is lost.
struct EventDetailDTO: Encodable {
    var summary: EventSummaryDTO
    var correlationId: String?
    var deliveries: [DeliveryDTO]

    init(_ detail: EventDetail) {
        summary = EventSummaryDTO(detail.event)
        correlationId = detail.event.correlationID
        let attemptsByDelivery = Dictionary(grouping: detail.attempts, by: \.deliveryID)
        deliveries = detail.deliveries.map { DeliveryDTO($0, attempts: attemptsByDelivery[$0.id] ?? []) }
    }

    enum CodingKeys: String, CodingKey {
        case correlationId, deliveries
    }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(correlationId, forKey: .correlationId)
        try container.encode(deliveries, forKey: .deliveries)
    }
}

/// `GET /v1/events`: a page of events and the total matching the filters.
struct EventPageDTO: Encodable {
    var events: [EventSummaryDTO]
    var total: Int
    var limit: Int
    var offset: Int
    /// Pass as `cursor` for the next page; absent on the last one.
    var nextCursor: String?
}

/// The answer to a publish: the event's id, its status (current, for a repeated
/// idempotency key) and the deliveries it fanned out to.
struct PublishResponseDTO: Encodable {
    var id: String
    var status: String
    var deliveryIds: [String]
}

/// The answer to a replay: the new event, the one it replays and its deliveries.
struct ReplayResponseDTO: Encodable {
    var id: String
    var status: String
    var replayOf: String
    var count: Int
    var deliveryIds: [String]
}
