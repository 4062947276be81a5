import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore

/// `/v1/events`: publish with idempotency keys, list with filters, read with attempts, replay.
struct EventRoutes {
    let switchboard: Switchboard

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.post("events") { request, context in try await publish(request, context) }
        group.get("events") { request, context in try await list(request, context) }
        group.get("events/:id") { _, context in
            let key = try context.require(.read)
            let detail = try await switchboard.eventDetail(id: try context.parameters.require("id"), tenant: key.tenantID)
            return JSONCoding.response(.ok, EventDetailDTO(detail))
        }
        group.post("events/:id/replay") { request, context in
            let key = try context.require(.write)
            let (body, _) = try await RequestBody.read(request, limit: 256 * 1024, allowEmpty: true)
            let result = try await switchboard.replayEvent(
                id: try context.parameters.require("id"), tenant: key.tenantID, endpointIDs: try body.strings("endpoint_ids"))
            return JSONCoding.response(.accepted, PublishResponseDTO(
                id: result.event.id, status: result.event.status.rawValue, deliveryIds: result.deliveries.map(\.id),
                replayOf: result.event.replayOf, count: result.deliveries.count))
        }
    }

    private func publish(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.write)
        let limit = switchboard.configuration.maxPayloadBytes
        let (body, _) = try await RequestBody.read(request, limit: limit)
        let eventType = try body.string("event_type", required: true)!
        guard let payload = body.fields["payload"] else { throw APIError.invalid("payload", "is required") }
        let canonical = payload.canonicalData()
        var hashed = Data(eventType.utf8)
        hashed.append(0)
        hashed.append(canonical)
        let requestHash = SHA256.hash(data: hashed).map { String(format: "%02x", $0) }.joined()
        let result = try await switchboard.publish(PublishRequest(
            tenantID: key.tenantID, eventType: eventType, payload: canonical,
            idempotencyKey: request.headers[.idempotencyKey], requestHash: requestHash))
        let headers: HTTPFields = result.isDuplicate ? [.idempotentReplayed: "true"] : [:]
        return JSONCoding.response(
            .accepted, PublishResponseDTO(id: result.event.id, status: Event.Status.queued.rawValue, deliveryIds: result.deliveries.map { $0.id }),
            headers: headers)
    }

    private func list(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.read)
        let query = request.uri.queryParameters
        var status: Event.Status?
        if let raw = query.get("status") {
            guard let parsed = Event.Status(rawValue: raw.uppercased()) else {
                throw APIError.invalid("status", "must be one of \(Event.Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = parsed
        }
        let eventType = query.get("event_type")
        if let eventType, !EventTypeFilter.isValidPattern(eventType) || eventType == "*" {
            throw APIError.invalid("event_type", "must be an event type name or a prefix.* wildcard")
        }
        let page = try await switchboard.events(EventQuery(
            tenant: key.tenantID, limit: try request.queryInt("limit", default: 50, range: 1...100),
            offset: try request.queryInt("offset", default: 0, range: 0...Int(Int32.max)), endpointID: query.get("endpoint_id"),
            status: status, eventType: eventType))
        return JSONCoding.response(.ok, EventPage(events: page.items.map(EventSummaryDTO.init), total: page.total,
                                                  limit: try request.queryInt("limit", default: 50, range: 1...100),
                                                  offset: try request.queryInt("offset", default: 0, range: 0...Int(Int32.max))))
    }

    struct EventPage: Encodable {
        var events: [EventSummaryDTO]
        var total: Int
        var limit: Int
        var offset: Int
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
