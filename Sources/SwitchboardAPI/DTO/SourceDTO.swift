import Foundation
import SwitchboardCore

/// A source as the API shows it; `signing_secret` only when Switchboard generated it, in the
/// create and rotate-secret answers.
struct SourceDTO: Encodable {
    var id: String
    var name: String
    var provider: String
    var slug: String
    var url: String
    /// `false` for the `none` provider, whose requests are not verified.
    var verified: Bool
    var hmac: HMACOptionsDTO?
    var retentionDays: Int?
    var eventsReceived: Int
    var rejectedCount: Int
    var lastRejectionReason: String?
    var lastRejectedAt: Date?
    var lastReceivedAt: Date?
    var previousSecretExpiresAt: Date?
    var createdAt: Date
    var updatedAt: Date
    var signingSecret: String?

    init(_ source: Source, baseURL: String, revealingSecret: Bool = false) {
        id = source.id
        name = source.name
        provider = source.provider.rawValue
        slug = source.slug
        url = source.ingestURL(base: baseURL)
        verified = source.provider != .none
        hmac = source.provider == .hmacSHA256 ? HMACOptionsDTO(source.hmacOptions) : nil
        retentionDays = source.retentionDays
        eventsReceived = source.eventsReceived
        rejectedCount = source.rejectedCount
        lastRejectionReason = source.lastRejectionReason
        lastRejectedAt = source.lastRejectedAt
        lastReceivedAt = source.lastReceivedAt
        previousSecretExpiresAt = source.previousSecretExpiresAt
        createdAt = source.createdAt
        updatedAt = source.updatedAt
        signingSecret = revealingSecret ? source.signingSecret.reveal() : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, name, provider, slug, url, verified, hmac, retentionDays, eventsReceived, rejectedCount
        case lastRejectionReason, lastRejectedAt, lastReceivedAt, previousSecretExpiresAt, createdAt, updatedAt, signingSecret
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(provider, forKey: .provider)
        try container.encode(slug, forKey: .slug)
        try container.encode(url, forKey: .url)
        try container.encode(verified, forKey: .verified)
        try container.encodeIfPresent(hmac, forKey: .hmac)
        try container.encode(retentionDays, forKey: .retentionDays)
        try container.encode(eventsReceived, forKey: .eventsReceived)
        try container.encode(rejectedCount, forKey: .rejectedCount)
        try container.encode(lastRejectionReason, forKey: .lastRejectionReason)
        try container.encode(lastRejectedAt, forKey: .lastRejectedAt)
        try container.encode(lastReceivedAt, forKey: .lastReceivedAt)
        try container.encode(previousSecretExpiresAt, forKey: .previousSecretExpiresAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(signingSecret, forKey: .signingSecret)
    }
}

/// Settings of an `hmac-sha256` source.
struct HMACOptionsDTO: Encodable {
    var signatureHeader: String
    var encoding: String
    var eventTypeHeader: String?
    var idHeader: String?

    init(_ options: GenericHMACOptions) {
        signatureHeader = options.signatureHeader
        encoding = options.encoding.rawValue
        eventTypeHeader = options.eventTypeHeader
        idHeader = options.idHeader
    }
}

/// `GET /v1/sources`.
struct SourceListDTO: Encodable {
    var sources: [SourceDTO]
    /// Pass as `cursor` for the next page; absent on the last one.
    var nextCursor: String?
}

/// The answer to an inbound or direct ingest request.
struct IngestResponseDTO: Encodable {
    var id: String
    var status: String
    var message: String
}

/// `POST /v1/sources/{id}/events/{event_id}/replay`.
struct SourceReplayResponseDTO: Encodable {
    var eventId: String
    var replayOf: String
    var queued: Int
    var deliveryIds: [String]
    var endpointIds: [String]
}
