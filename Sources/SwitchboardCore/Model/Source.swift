import Foundation

/// An inbound webhook source: a third-party provider (Stripe, GitHub, Shopify…) posting to a
/// public ingest URL, verified by the provider's scheme and forwarded to the endpoints bound
/// to it (its destinations).
public struct Source: Sendable, Hashable, Identifiable {
    public var id: String
    public var tenantID: TenantID
    public var name: String
    public var provider: SourceProvider
    /// The secret the provider signs with; empty for the `none` provider.
    public var signingSecret: Secret
    /// The secret before the last rotation, still accepted until ``previousSecretExpiresAt``.
    public var previousSigningSecret: Secret?
    public var previousSecretExpiresAt: Date?
    /// The unguessable last path component of the public ingest URL `/in/<slug>`.
    public var slug: String
    /// Settings of the generic `hmac-sha256` provider.
    public var hmacOptions: GenericHMACOptions
    /// Days its events are kept; the global `retention.days` when `nil`.
    public var retentionDays: Int?
    public var eventsReceived: Int
    public var rejectedCount: Int
    /// Why the last refused request was refused; for the operator, never for the caller.
    public var lastRejectionReason: String?
    public var lastRejectedAt: Date?
    public var lastReceivedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, tenantID: TenantID, name: String, provider: SourceProvider, signingSecret: Secret, previousSigningSecret: Secret? = nil,
        previousSecretExpiresAt: Date? = nil, slug: String, hmacOptions: GenericHMACOptions = GenericHMACOptions(), retentionDays: Int? = nil, eventsReceived: Int = 0,
        rejectedCount: Int = 0, lastRejectionReason: String? = nil, lastRejectedAt: Date? = nil, lastReceivedAt: Date? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.provider = provider
        self.signingSecret = signingSecret
        self.previousSigningSecret = previousSigningSecret
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.slug = slug
        self.hmacOptions = hmacOptions
        self.retentionDays = retentionDays
        self.eventsReceived = eventsReceived
        self.rejectedCount = rejectedCount
        self.lastRejectionReason = lastRejectionReason
        self.lastRejectedAt = lastRejectedAt
        self.lastReceivedAt = lastReceivedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The secrets accepted at `now`: the current one, then the previous one while its grace lasts.
    public func verificationSecrets(at now: Date) -> [Secret] {
        guard let previousSigningSecret, let expiry = previousSecretExpiresAt, expiry > now else { return [signingSecret] }
        return [signingSecret, previousSigningSecret]
    }

    /// The verifier for requests to this source arriving at `now`.
    public func verifier(at now: Date) -> InboundVerifier {
        InboundVerifier(provider: provider, secrets: verificationSecrets(at: now), options: hmacOptions)
    }

    /// Where providers send this source's webhooks: `<base>/in/<slug>`, or only the path when
    /// `base` is empty. A trailing slash of `base` is dropped.
    public func ingestURL(base: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/in/" + slug
    }

    /// A new slug: `in_` and 24 random base62 characters (about 143 bits).
    public static func makeSlug() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return "in_" + String((0..<24).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
