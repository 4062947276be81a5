import Foundation
import SwitchboardCore

/// What `switchboard export` writes and `switchboard import` reads: a store's configuration
/// (endpoints, inbound sources and API keys), secrets included, without its event history.
///
/// It moves a deployment from one store to another (SQLite to PostgreSQL, one machine to
/// another). Endpoint and source signing secrets are in clear text, because the target store
/// seals them under its own master key; API keys travel as their hashes only, so existing
/// keys keep working and no key can be read from the file. Treat the file as a secret.
struct ExportDocument: Codable, Sendable {
    static let formatName = "switchboard-export"
    static let currentVersion = 1

    var format: String
    var version: Int
    var exportedAt: Date
    var endpoints: [ExportedEndpoint]
    var sources: [ExportedSource]
    var apiKeys: [ExportedAPIKey]

    static func coder() -> (JSONEncoder, JSONDecoder) { (WireJSON.encoder(pretty: true), WireJSON.decoder()) }
}

/// An endpoint with its secrets; its health (failing since, throttling) stays behind.
struct ExportedEndpoint: Codable, Sendable {
    var id: String
    var tenant: TenantID
    var name: String
    var url: String
    var description: String
    var eventTypes: [String]
    var authMode: Endpoint.AuthMode
    var secret: String
    var previousSecret: String?
    var previousSecretExpiresAt: Date?
    var enabled: Bool
    var disabledReason: String?
    var disabledAt: Date?
    var maxConcurrency: Int
    var rateLimitPerSecond: Int?
    var headers: [String: String]
    var sourceIds: [String]
    var createdAt: Date
    var updatedAt: Date

    init(_ endpoint: Endpoint) {
        id = endpoint.id
        tenant = endpoint.tenantID
        name = endpoint.name
        url = endpoint.url
        description = endpoint.description
        eventTypes = endpoint.eventTypes
        authMode = endpoint.authMode
        secret = endpoint.secret.reveal()
        previousSecret = endpoint.previousSecret?.reveal()
        previousSecretExpiresAt = endpoint.previousSecretExpiresAt
        enabled = endpoint.enabled
        disabledReason = endpoint.disabledReason
        disabledAt = endpoint.disabledAt
        maxConcurrency = endpoint.maxConcurrency
        rateLimitPerSecond = endpoint.rateLimitPerSecond
        headers = endpoint.headers
        sourceIds = endpoint.sourceIDs
        createdAt = endpoint.createdAt
        updatedAt = endpoint.updatedAt
    }

    var endpoint: Endpoint {
        Endpoint(
            id: id, tenantID: tenant, name: name, url: url, description: description, eventTypes: eventTypes, authMode: authMode,
            secret: Secret(secret), previousSecret: previousSecret.map(Secret.init), previousSecretExpiresAt: previousSecretExpiresAt,
            enabled: enabled, disabledReason: disabledReason, disabledAt: disabledAt, maxConcurrency: maxConcurrency,
            rateLimitPerSecond: rateLimitPerSecond, headers: headers, sourceIDs: sourceIds, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// An inbound source with its signing secrets; its counters stay behind.
struct ExportedSource: Codable, Sendable {
    var id: String
    var tenant: TenantID
    var name: String
    var provider: SourceProvider
    var signingSecret: String
    var previousSigningSecret: String?
    var previousSecretExpiresAt: Date?
    var slug: String
    var hmacOptions: GenericHMACOptions
    var retentionDays: Int?
    var createdAt: Date
    var updatedAt: Date

    init(_ source: Source) {
        id = source.id
        tenant = source.tenantID
        name = source.name
        provider = source.provider
        signingSecret = source.signingSecret.reveal()
        previousSigningSecret = source.previousSigningSecret?.reveal()
        previousSecretExpiresAt = source.previousSecretExpiresAt
        slug = source.slug
        hmacOptions = source.hmacOptions
        retentionDays = source.retentionDays
        createdAt = source.createdAt
        updatedAt = source.updatedAt
    }

    var source: Source {
        Source(
            id: id, tenantID: tenant, name: name, provider: provider, signingSecret: Secret(signingSecret),
            previousSigningSecret: previousSigningSecret.map(Secret.init), previousSecretExpiresAt: previousSecretExpiresAt, slug: slug,
            hmacOptions: hmacOptions, retentionDays: retentionDays, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// An API key as stored: its hash, never the key.
struct ExportedAPIKey: Codable, Sendable {
    var id: String
    var tenant: TenantID
    var name: String
    var scopes: [APIKey.Scope]
    var keyHash: String
    var keyPrefix: String
    var createdAt: Date
    var revokedAt: Date?

    init(_ key: APIKey) {
        id = key.id
        tenant = key.tenantID
        name = key.name
        scopes = key.scopes.sorted()
        keyHash = key.keyHash
        keyPrefix = key.keyPrefix
        createdAt = key.createdAt
        revokedAt = key.revokedAt
    }

    var apiKey: APIKey {
        APIKey(id: id, tenantID: tenant, name: name, scopes: Set(scopes), keyHash: keyHash, keyPrefix: keyPrefix, createdAt: createdAt, revokedAt: revokedAt)
    }
}
