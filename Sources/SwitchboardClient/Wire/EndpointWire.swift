import Foundation
import SwitchboardCore

/// An endpoint as the API shows it: never its secret, custom header values redacted.
struct EndpointWire: Decodable {
    var id: String
    var name: String
    var url: String
    var description: String
    var eventTypes: [String]
    var auth: String
    var enabled: Bool
    var disabledReason: String?
    var disabledAt: Date?
    var failingSince: Date?
    var throttledUntil: Date?
    var maxConcurrency: Int
    var rateLimitPerSecond: Int?
    var headers: [String: String]
    var sourceIds: [String]
    var createdAt: Date
    var updatedAt: Date

    /// The endpoint, with an empty secret: a remote console never holds one.
    func endpoint(tenantID: TenantID) -> Endpoint {
        Endpoint(
            id: id, tenantID: tenantID, name: name, url: url, description: description, eventTypes: eventTypes,
            authMode: Endpoint.AuthMode(rawValue: auth) ?? .signature, secret: Secret(""), enabled: enabled,
            disabledReason: disabledReason, disabledAt: disabledAt, failingSince: failingSince, throttledUntil: throttledUntil,
            maxConcurrency: maxConcurrency, rateLimitPerSecond: rateLimitPerSecond, headers: headers, sourceIDs: sourceIds,
            createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// `GET /v1/endpoints`.
struct EndpointListWire: Decodable {
    var endpoints: [EndpointWire]
    var nextCursor: String?
}
