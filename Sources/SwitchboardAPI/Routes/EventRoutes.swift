import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore

/// `/v1/events`: publish (with `Idempotency-Key`), list with filters, read with deliveries
/// and attempts, replay.
struct EventRoutes {
    let switchboard: Switchboard
    static let replayBodyLimit = 64 * 1024

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.post("events") { request, context in try await publish(request, context) }
        group.get("events") { request, context in try await list(request, context) }
        group.get("events/:id") { _, context in
            let key = try context.require(.read)
            let detail = try await switchboard.eventDetail(id: try context.id, tenant: key.tenantID)
            // The payload goes out as stored, byte for byte, never through JSONValue and Double.
            let payload = JSONValue.parse(detail.event.payload) == nil ? Data("null".utf8) : detail.event.payload
            return JSONCoding.response(.ok, EventDetailDTO(detail), appending: ["payload": payload])
        }
        group.post("events/:id/retry-failed") { _, context in
            let key = try context.require(.write)
            let deliveries = try await switchboard.retryFailedDeliveries(eventID: try context.id, tenant: key.tenantID)
            return JSONCoding.response(.accepted, DeliveryItemsDTO(items: deliveries.map { DeliveryDTO($0) }))
        }
        group.post("events/:id/replay") { request, context in
            let key = try context.require(.write)
            let body = try await RequestBody.read(request, limit: Self.replayBodyLimit, allowEmpty: true)
            let result = try await switchboard.replayEvent(id: try context.id, tenant: key.tenantID, endpointIDs: try body.strings("endpoint_ids"))
            return JSONCoding.response(.accepted, ReplayResponseDTO(
                id: result.event.id, status: result.event.status.rawValue, replayOf: result.event.replayOf ?? "",
                count: result.deliveries.count, deliveryIds: result.deliveries.map(\.id)))
        }
    }

    /// `POST /v1/events`. The body is refused with 413 as soon as it passes the configured
    /// `maxPayloadBytes`. A repeated `Idempotency-Key` with the same `event_type` and payload
    /// answers the original event (with its current status) and creates nothing; with a
    /// different request it is a 409.
    private func publish(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.write)
        let body = try await RequestBody.read(request, limit: switchboard.configuration.maxPayloadBytes)
        let eventType = try body.requiredString("event_type")
        // Any JSON value is a payload, `null` included; only a missing field is an error. It is
        // stored exactly as sent (numbers past 2^53 keep every digit); the idempotency hash is
        // over a canonical form, so key order and whitespace do not matter there.
        guard body.fields["payload"] != nil, let payload = try body.rawValue("payload") else {
            throw APIError.invalid("payload", "is required")
        }
        let result = try await switchboard.publish(PublishRequest(
            tenantID: key.tenantID, eventType: eventType, payload: payload,
            idempotencyKey: request.headers[.idempotencyKey],
            requestHash: PublishRequest.requestHash(scope: eventType, body: RawJSON.canonical(payload))))
        let headers: HTTPFields = result.isDuplicate ? [.idempotentReplayed: "true"] : [:]
        return JSONCoding.response(
            .accepted,
            PublishResponseDTO(id: result.event.id, status: result.event.status.rawValue, deliveryIds: result.deliveries.map(\.id)),
            headers: headers)
    }

    /// Longest `q` accepted, and most words in it.
    static let maxSearchText = 200
    static let maxSearchWords = 8

    /// An RFC 3339 query parameter, `nil` when absent; 400 when it cannot be read.
    static func dateParameter(_ name: String, _ request: Request) throws -> Date? {
        guard let raw = request.uri.queryParameters.get(name) else { return nil }
        guard let date = RFC3339.parse(raw) else { throw APIError.badParameter(name, "must be an RFC 3339 date-time (2026-12-01T10:00:00Z)") }
        return date
    }

    /// `GET /v1/events?limit&offset&endpoint_id&source_id&status&event_type&delivery_status&since&until&q`,
    /// newest first. `status` is the event status; `delivery_status` the delivery-level word
    /// (`failed`: some delivery failed for good; `retrying`: some delivery scheduled after a
    /// failure; the others the event status); `since` (inclusive) and `until` (exclusive) bound
    /// `created_at`; `q` is free text, every word a case-insensitive substring of the type or id.
    private func list(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.read)
        let query = request.uri.queryParameters
        let limit = try request.queryInt("limit", default: 50, range: 1...100)
        var offset = try request.queryInt("offset", default: 0, range: 0...Int(Int32.max))
        if let cursor = query.get("cursor") {
            guard query.get("offset") == nil else { throw APIError.invalid("cursor", "cannot be combined with offset") }
            let position = try ListCursor.decode(cursor)
            guard position.hasPrefix("offset:"), let value = Int(position.dropFirst(7)), (0...Int(Int32.max)).contains(value) else {
                throw APIError.invalid("cursor", "is not a cursor this list returned")
            }
            offset = value
        }
        var status: Event.Status?
        if let raw = query.get("status") {
            guard let parsed = Event.Status(rawValue: raw.uppercased()) else {
                throw APIError.invalid("status", "must be one of \(Event.Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = parsed
        }
        let eventType = query.get("event_type")
        if let eventType, eventType == "*" || !EventTypeFilter.isValidPattern(eventType) {
            throw APIError.invalid("event_type", "must be an event type name or a prefix.* wildcard")
        }
        let endpointID = query.get("endpoint_id")
        if let endpointID, endpointID.isEmpty || endpointID.count > 160 {
            throw APIError.invalid("endpoint_id", "must be an endpoint id (1–160 characters)")
        }
        let sourceID = query.get("source_id")
        if let sourceID, sourceID.isEmpty || sourceID.count > 64 {
            throw APIError.invalid("source_id", "must be a source id (1–64 characters)")
        }
        var deliveryStatus: DeliveryStatusFilter?
        if let raw = query.get("delivery_status") {
            guard let parsed = DeliveryStatusFilter(rawValue: raw.lowercased()) else {
                throw APIError.badParameter("delivery_status", "must be one of \(DeliveryStatusFilter.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            deliveryStatus = parsed
        }
        let since = try Self.dateParameter("since", request)
        let until = try Self.dateParameter("until", request)
        if let since, let until, since >= until { throw APIError.badParameter("since", "must be before until") }
        let text = query.get("q")
        if let text, text.count > Self.maxSearchText { throw APIError.badParameter("q", "must be at most \(Self.maxSearchText) characters") }
        if let text, text.split(whereSeparator: \.isWhitespace).count > Self.maxSearchWords {
            throw APIError.badParameter("q", "must have at most \(Self.maxSearchWords) words")
        }
        let page = try await switchboard.events(EventQuery(
            tenant: key.tenantID, limit: limit, offset: offset, endpointID: endpointID, sourceID: sourceID, status: status,
            eventType: eventType, deliveryStatus: deliveryStatus, since: since, until: until, text: text))
        let next = offset + page.items.count < page.total && !page.items.isEmpty ? ListCursor.encode("offset:\(offset + page.items.count)") : nil
        return JSONCoding.response(
            .ok, EventPageDTO(events: page.items.map(EventSummaryDTO.init), total: page.total, limit: limit, offset: offset, nextCursor: next))
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Set to `true` on a publish answered from an earlier request with the same key.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
