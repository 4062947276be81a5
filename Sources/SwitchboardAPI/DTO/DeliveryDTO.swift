import Foundation
import SwitchboardCore

/// A delivery of one event to one endpoint, with its attempts when asked for.
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
        self.attempts = attempts.map { $0.map { AttemptDTO($0) } }
    }

    enum CodingKeys: String, CodingKey {
        case id, eventId, endpointId, state, attemptCount, nextAttemptAt, lastStatusCode, lastError, createdAt, updatedAt, attempts
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(eventId, forKey: .eventId)
        try container.encode(endpointId, forKey: .endpointId)
        try container.encode(state, forKey: .state)
        try container.encode(attemptCount, forKey: .attemptCount)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(lastStatusCode, forKey: .lastStatusCode)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(attempts, forKey: .attempts)
    }
}

/// One attempt: what was sent and what came back.
///
/// `error` is the network error class (`timeout`, `connection_refused`, …) when no usable
/// response came back; `request_headers` never carry a bearer secret (the core redacts it).
struct AttemptDTO: Encodable {
    var id: String
    var deliveryId: String
    var eventId: String
    var endpointId: String
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
    var superseded: Bool
    /// The cluster node that made the attempt; absent on a single node.
    var node: String?

    init(_ attempt: Attempt) {
        id = attempt.id
        deliveryId = attempt.deliveryID
        eventId = attempt.eventID
        endpointId = attempt.endpointID
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
        superseded = attempt.superseded
        node = attempt.node
    }

    enum CodingKeys: String, CodingKey {
        case id, deliveryId, eventId, endpointId, number, url, statusCode, error, errorMessage, responseBody, durationMs
        case createdAt, nextRetryAt, requestHeaders, superseded, node
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(deliveryId, forKey: .deliveryId)
        try container.encode(eventId, forKey: .eventId)
        try container.encode(endpointId, forKey: .endpointId)
        try container.encode(number, forKey: .number)
        try container.encode(url, forKey: .url)
        try container.encode(statusCode, forKey: .statusCode)
        try container.encode(error, forKey: .error)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encode(responseBody, forKey: .responseBody)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(nextRetryAt, forKey: .nextRetryAt)
        try container.encode(requestHeaders, forKey: .requestHeaders)
        try container.encode(superseded, forKey: .superseded)
        try container.encodeIfPresent(node, forKey: .node)
    }
}
