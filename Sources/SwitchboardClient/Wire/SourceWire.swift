import Foundation
import SwitchboardCore

/// An inbound source as the API shows it, without its signing secret.
struct SourceWire: Decodable {
    struct HMACWire: Decodable {
        var signatureHeader: String
        var encoding: String
        var eventTypeHeader: String?
        var idHeader: String?
    }

    var id: String
    var name: String
    var provider: String
    var slug: String
    var hmac: HMACWire?
    var retentionDays: Int?
    var eventsReceived: Int
    var rejectedCount: Int
    var lastRejectionReason: String?
    var lastRejectedAt: Date?
    var lastReceivedAt: Date?
    var previousSecretExpiresAt: Date?
    var createdAt: Date
    var updatedAt: Date

    func source(tenantID: TenantID) -> Source {
        let options = hmac.map {
            GenericHMACOptions(
                signatureHeader: $0.signatureHeader, encoding: GenericHMACOptions.Encoding(rawValue: $0.encoding) ?? .hex,
                eventTypeHeader: $0.eventTypeHeader, idHeader: $0.idHeader)
        }
        return Source(
            id: id, tenantID: tenantID, name: name, provider: SourceProvider(rawValue: provider) ?? .none, signingSecret: Secret(""),
            previousSecretExpiresAt: previousSecretExpiresAt, slug: slug, hmacOptions: options ?? GenericHMACOptions(),
            retentionDays: retentionDays, eventsReceived: eventsReceived, rejectedCount: rejectedCount,
            lastRejectionReason: lastRejectionReason, lastRejectedAt: lastRejectedAt, lastReceivedAt: lastReceivedAt,
            createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// `GET /v1/sources`.
struct SourceListWire: Decodable {
    var sources: [SourceWire]
    var nextCursor: String?
}
