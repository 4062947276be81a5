import Foundation
import SwitchboardCore

/// One change as `/v1/stream` sends it: the SSE `event:` name and the JSON `data:`.
///
/// Endpoints appear without their secret; attempts without the response body and request
/// headers (fetch them from `/v1/deliveries/{id}/attempts`).
enum ChangeDTO {
    /// The SSE event name of `change`.
    static func name(of change: Change) -> String {
        switch change {
        case .eventPublished: "event.published"
        case .attemptRecorded: "attempt.recorded"
        case .deliveryStateChanged: "delivery.updated"
        case .eventStatusChanged: "event.status"
        case .endpointChanged: "endpoint.updated"
        case .endpointDeleted: "endpoint.deleted"
        case .sourceChanged: "source.updated"
        case .sourceDeleted: "source.deleted"
        }
    }

    /// The JSON data of `change`, on one line; source ingest URLs start with `baseURL`.
    static func data(of change: Change, baseURL: String) -> Data {
        switch change {
        case .eventPublished(let event, let deliveries):
            JSONCoding.encode(EventPublished(event: EventSummaryDTO(event), deliveries: deliveries.map { DeliveryDTO($0) }))
        case .attemptRecorded(let attempt, let state):
            JSONCoding.encode(AttemptRecorded(attempt, deliveryState: state))
        case .deliveryStateChanged(let delivery):
            JSONCoding.encode(DeliveryDTO(delivery))
        case .eventStatusChanged(let change):
            JSONCoding.encode(EventStatus(eventId: change.eventID, status: change.status.rawValue))
        case .endpointChanged(let endpoint):
            JSONCoding.encode(EndpointDTO(endpoint))
        case .endpointDeleted(let id, _):
            JSONCoding.encode(EndpointDeleted(id: id))
        case .sourceChanged(let source):
            JSONCoding.encode(SourceDTO(source, baseURL: baseURL))
        case .sourceDeleted(let id, _):
            JSONCoding.encode(EndpointDeleted(id: id))
        }
    }

    struct EventPublished: Encodable {
        var event: EventSummaryDTO
        var deliveries: [DeliveryDTO]
    }

    struct AttemptRecorded: Encodable {
        var id: String
        var deliveryId: String
        var eventId: String
        var endpointId: String
        var number: Int
        var statusCode: Int?
        var error: String?
        var durationMs: Int
        var createdAt: Date
        var nextRetryAt: Date?
        var deliveryState: String
        /// The cluster node that made the attempt; absent on a single node.
        var node: String?

        init(_ attempt: Attempt, deliveryState: Delivery.State) {
            id = attempt.id
            deliveryId = attempt.deliveryID
            eventId = attempt.eventID
            endpointId = attempt.endpointID
            number = attempt.number
            statusCode = attempt.statusCode
            error = attempt.errorClass
            durationMs = attempt.durationMilliseconds
            createdAt = attempt.createdAt
            nextRetryAt = attempt.nextRetryAt
            self.deliveryState = deliveryState.rawValue
            node = attempt.node
        }

        enum CodingKeys: String, CodingKey {
            case id, deliveryId, eventId, endpointId, number, statusCode, error, durationMs, createdAt, nextRetryAt, deliveryState, node
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(deliveryId, forKey: .deliveryId)
            try container.encode(eventId, forKey: .eventId)
            try container.encode(endpointId, forKey: .endpointId)
            try container.encode(number, forKey: .number)
            try container.encode(statusCode, forKey: .statusCode)
            try container.encode(error, forKey: .error)
            try container.encode(durationMs, forKey: .durationMs)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(nextRetryAt, forKey: .nextRetryAt)
            try container.encode(deliveryState, forKey: .deliveryState)
            try container.encodeIfPresent(node, forKey: .node)
        }
    }

    struct EventStatus: Encodable {
        var eventId: String
        var status: String
    }

    struct EndpointDeleted: Encodable {
        var id: String
    }
}
