import Foundation
import SwitchboardCore

/// A delivery as the API shows it, with its attempts where the route includes them.
struct DeliveryWire: Decodable {
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
    var attempts: [AttemptWire]?

    func delivery(tenantID: TenantID) -> Delivery {
        Delivery(
            id: id, tenantID: tenantID, eventID: eventId, endpointID: endpointId, state: Delivery.State(rawValue: state) ?? .pending,
            attemptCount: attemptCount, nextAttemptAt: nextAttemptAt, lastStatusCode: lastStatusCode, lastError: lastError,
            createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// An attempt as the API shows it; the change feed's `attempt.recorded` leaves out the
/// URL, headers, message and body, which decode as empty.
struct AttemptWire: Decodable {
    var id: String
    var deliveryId: String
    var eventId: String
    var endpointId: String
    var number: Int
    var url: String?
    var statusCode: Int?
    var error: String?
    var errorMessage: String?
    var responseBody: String?
    var durationMs: Int
    var createdAt: Date
    var nextRetryAt: Date?
    var requestHeaders: [String: String]?
    var superseded: Bool?
    var node: String?
    /// Only in `attempt.recorded`: the delivery's state after the attempt.
    var deliveryState: String?

    func attempt(tenantID: TenantID) -> Attempt {
        Attempt(
            id: id, tenantID: tenantID, deliveryID: deliveryId, eventID: eventId, endpointID: endpointId, number: number,
            url: url ?? "", requestHeaders: requestHeaders ?? [:], statusCode: statusCode, errorClass: error,
            errorMessage: errorMessage, responseBody: responseBody, durationMilliseconds: durationMs, createdAt: createdAt,
            nextRetryAt: nextRetryAt, superseded: superseded ?? false, node: node)
    }
}

/// A list of deliveries: `{"items": [...]}`.
struct DeliveryListWire: Decodable {
    var items: [DeliveryWire]
}
