import Foundation
import SwitchboardCore

/// An event in a list.
struct EventSummaryDTO: Encodable {
    var id: String
    var eventType: String
    var status: String
    var origin: String
    var replayOf: String?
    var idempotencyKey: String?
    var createdAt: Date

    init(_ event: Event) {
        id = event.id
        eventType = event.eventType
        status = event.status.rawValue
        origin = event.origin.rawValue
        replayOf = event.replayOf
        idempotencyKey = event.idempotencyKey
        createdAt = event.createdAt
    }
}

/// An event with its payload, deliveries and their attempts.
struct EventDetailDTO: Encodable {
    var id: String
    var eventType: String
    var status: String
    var origin: String
    var replayOf: String?
    var idempotencyKey: String?
    var correlationId: String?
    var payload: JSONValue
    var createdAt: Date
    var deliveries: [DeliveryDTO]

    init(_ detail: EventDetail) {
        let event = detail.event
        id = event.id
        eventType = event.eventType
        status = event.status.rawValue
        origin = event.origin.rawValue
        replayOf = event.replayOf
        idempotencyKey = event.idempotencyKey
        correlationId = event.correlationID
        payload = JSONValue.parse(event.payload) ?? .null
        createdAt = event.createdAt
        let attemptsByDelivery = Dictionary(grouping: detail.attempts, by: \.deliveryID)
        deliveries = detail.deliveries.map { DeliveryDTO($0, attempts: attemptsByDelivery[$0.id] ?? []) }
    }
}

/// A delivery, with its attempts when asked for.
struct DeliveryDTO: Encodable {
    var id: String
    var eventId: String
    var endpointId: String
    var state: String
    var attemptCount: Int
    var nextAttemptAt: Date?
    var lastStatusCode: Int?
    var lastError: String?
    var createdAt: Date
    var updatedAt: Date
    var attempts: [AttemptDTO]?

    init(_ delivery: Delivery, attempts: [Attempt]? = nil) {
        id = delivery.id
        eventId = delivery.eventID
        endpointId = delivery.endpointID
        state = delivery.state.rawValue
        attemptCount = delivery.attemptCount
        nextAttemptAt = delivery.state == .pending || delivery.state == .scheduled ? delivery.nextAttemptAt : nil
        lastStatusCode = delivery.lastStatusCode
        lastError = delivery.lastError
        createdAt = delivery.createdAt
        updatedAt = delivery.updatedAt
        self.attempts = attempts.map { $0.map(AttemptDTO.init) }
    }
}

/// One attempt: what was sent and what came back.
struct AttemptDTO: Encodable {
    var id: String
    var deliveryId: String
    var number: Int
    var url: String
    var statusCode: Int?
    var error: String?
    var errorMessage: String?
    var responseBody: String?
    var durationMs: Int
    var createdAt: Date
    var nextRetryAt: Date?
    var requestHeaders: [String: String]

    init(_ attempt: Attempt) {
        id = attempt.id
        deliveryId = attempt.deliveryID
        number = attempt.number
        url = attempt.url
        statusCode = attempt.statusCode
        error = attempt.errorClass
        errorMessage = attempt.errorMessage
        responseBody = attempt.responseBody
        durationMs = attempt.durationMilliseconds
        createdAt = attempt.createdAt
        nextRetryAt = attempt.nextRetryAt
        requestHeaders = attempt.requestHeaders
    }
}

/// The answer to a publish or a replay.
struct PublishResponseDTO: Encodable {
    var id: String
    var status: String
    var deliveryIds: [String]
    var replayOf: String?
    var count: Int?
}

/// An API key as listed: never the key or its hash.
struct APIKeyDTO: Encodable {
    var id: String
    var name: String
    var tenant: String
    var scopes: [String]
    var keyPrefix: String
    var createdAt: Date
    var revokedAt: Date?
    var key: String?

    init(_ apiKey: APIKey, secret: Secret? = nil) {
        id = apiKey.id
        name = apiKey.name
        tenant = apiKey.tenantID
        scopes = apiKey.scopes.sorted().map(\.rawValue)
        keyPrefix = apiKey.keyPrefix
        createdAt = apiKey.createdAt
        revokedAt = apiKey.revokedAt
        key = secret?.reveal()
    }
}
