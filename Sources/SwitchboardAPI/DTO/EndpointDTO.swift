import Foundation
import SwitchboardCore

/// An endpoint as the API shows it; `secret` only in create and rotate-secret answers, and
/// custom header values never (write-only: each shows as ``Endpoint/redactedHeaderValue``).
struct EndpointDTO: Encodable {
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
    var secret: String?
    var previousSecretExpiresAt: Date?

    init(_ endpoint: Endpoint, revealingSecret: Bool = false) {
        id = endpoint.id
        name = endpoint.name
        url = endpoint.url
        description = endpoint.description
        eventTypes = endpoint.eventTypes
        auth = endpoint.authMode.rawValue
        enabled = endpoint.enabled
        disabledReason = endpoint.disabledReason
        disabledAt = endpoint.disabledAt
        failingSince = endpoint.failingSince
        throttledUntil = endpoint.throttledUntil
        maxConcurrency = endpoint.maxConcurrency
        rateLimitPerSecond = endpoint.rateLimitPerSecond
        headers = endpoint.headers.mapValues { _ in Endpoint.redactedHeaderValue }
        sourceIds = endpoint.sourceIDs
        createdAt = endpoint.createdAt
        updatedAt = endpoint.updatedAt
        secret = revealingSecret ? endpoint.secret.reveal() : nil
        previousSecretExpiresAt = revealingSecret ? endpoint.previousSecretExpiresAt : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, name, url, description, eventTypes, auth, enabled, disabledReason, disabledAt, failingSince, throttledUntil
        case maxConcurrency, rateLimitPerSecond, headers, sourceIds, createdAt, updatedAt, secret, previousSecretExpiresAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(url, forKey: .url)
        try container.encode(description, forKey: .description)
        try container.encode(eventTypes, forKey: .eventTypes)
        try container.encode(auth, forKey: .auth)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(disabledReason, forKey: .disabledReason)
        try container.encode(disabledAt, forKey: .disabledAt)
        try container.encode(failingSince, forKey: .failingSince)
        try container.encode(throttledUntil, forKey: .throttledUntil)
        try container.encode(maxConcurrency, forKey: .maxConcurrency)
        try container.encode(rateLimitPerSecond, forKey: .rateLimitPerSecond)
        try container.encode(headers, forKey: .headers)
        try container.encode(sourceIds, forKey: .sourceIds)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(secret, forKey: .secret)
        if secret != nil { try container.encode(previousSecretExpiresAt, forKey: .previousSecretExpiresAt) }
    }
}
