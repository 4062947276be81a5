import Foundation
import SwitchboardCore

/// An API key as the API shows it: never its hash; the key itself (`sbk_…`) only in the
/// answer that created it.
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

    enum CodingKeys: String, CodingKey {
        case id, name, tenant, scopes, keyPrefix, createdAt, revokedAt, key
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(tenant, forKey: .tenant)
        try container.encode(scopes, forKey: .scopes)
        try container.encode(keyPrefix, forKey: .keyPrefix)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(revokedAt, forKey: .revokedAt)
        try container.encodeIfPresent(key, forKey: .key)
    }
}

/// `GET /v1/usage/current`: the tenant's figures since the start of this month (UTC).
struct UsageDTO: Encodable {
    var periodStart: Date
    var eventsPublished: Int
    var deliveries: Int
    var attempts: Int
    var successes: Int
    var failures: Int

    init(_ usage: Usage, periodStart: Date) {
        self.periodStart = periodStart
        eventsPublished = usage.eventsPublished
        deliveries = usage.deliveries
        attempts = usage.attempts
        successes = usage.successfulAttempts
        failures = usage.failedAttempts
    }
}
