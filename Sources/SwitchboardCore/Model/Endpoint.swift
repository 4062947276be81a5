import Foundation

/// A receiver of webhooks: a URL, the event types it subscribes to and how deliveries
/// to it are authenticated.
public struct Endpoint: Sendable, Hashable, Identifiable {
    /// How a receiver authenticates deliveries.
    public enum AuthMode: String, Sendable, Hashable, Codable, CaseIterable {
        /// Standard Webhooks `webhook-signature` headers, HMAC-SHA256 with the secret.
        case signature
        /// `Authorization: Bearer <secret>`.
        case bearer
    }

    public var id: String
    public var tenantID: TenantID
    public var name: String
    public var url: String
    public var description: String
    /// Exact event type names or `prefix.*` wildcards; empty subscribes to everything.
    public var eventTypes: [String]
    public var authMode: AuthMode
    public var secret: Secret
    /// The secret before the last rotation, still valid until ``previousSecretExpiresAt``.
    public var previousSecret: Secret?
    public var previousSecretExpiresAt: Date?
    public var enabled: Bool
    /// Why the endpoint was disabled: `"manual"`, `"gone"` (HTTP 410) or `"failing"`.
    public var disabledReason: String?
    public var disabledAt: Date?
    /// Start of the current run of failed attempts with no success in between.
    public var failingSince: Date?
    /// Until when the receiver asked to be left alone (`Retry-After` on a 429 or 503): no
    /// delivery of the endpoint is claimed before then.
    public var throttledUntil: Date?
    /// Most deliveries sent to this endpoint at the same time.
    public var maxConcurrency: Int
    /// Most deliveries started per second, `nil` for no limit beyond ``maxConcurrency``.
    public var rateLimitPerSecond: Int?
    /// Extra headers sent with every delivery. Their values are write-only: the API, the console
    /// and recorded attempts show ``redactedHeaderValue`` instead, and the store seals them.
    public var headers: [String: String]
    /// Inbound sources whose events this endpoint receives.
    public var sourceIDs: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, tenantID: TenantID, name: String, url: String, description: String = "",
        eventTypes: [String] = [], authMode: AuthMode = .signature, secret: Secret,
        previousSecret: Secret? = nil, previousSecretExpiresAt: Date? = nil, enabled: Bool = true,
        disabledReason: String? = nil, disabledAt: Date? = nil, failingSince: Date? = nil, throttledUntil: Date? = nil,
        maxConcurrency: Int = 4, rateLimitPerSecond: Int? = nil, headers: [String: String] = [:], sourceIDs: [String] = [],
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.authMode = authMode
        self.secret = secret
        self.previousSecret = previousSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.disabledAt = disabledAt
        self.failingSince = failingSince
        self.throttledUntil = throttledUntil
        self.maxConcurrency = maxConcurrency
        self.rateLimitPerSecond = rateLimitPerSecond
        self.headers = headers
        self.sourceIDs = sourceIDs
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// What the API and recorded attempts show in place of a custom header's value.
    public static let redactedHeaderValue = "…redacted"

    /// Whether an event of `eventType` goes to this endpoint.
    public func subscribes(to eventType: String) -> Bool {
        EventTypeFilter(eventTypes).matches(eventType)
    }

    /// The secrets that sign a delivery made at `now`: the current one first, then the
    /// previous one while its grace period lasts.
    public func signingSecrets(at now: Date) -> [Secret] {
        guard let previousSecret, let expiry = previousSecretExpiresAt, expiry > now else { return [secret] }
        return [secret, previousSecret]
    }
}
