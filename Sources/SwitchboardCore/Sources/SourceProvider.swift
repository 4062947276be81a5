/// The schemes by which an inbound source proves that a request came from its provider.
public enum SourceProvider: String, Sendable, Hashable, Codable, CaseIterable {
    /// `Stripe-Signature: t=…,v1=…`, HMAC-SHA256 over `"<t>.<body>"`, 5-minute tolerance.
    case stripe
    /// `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 over the body.
    case github
    /// `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 over the body.
    case shopify
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature`, as Switchboard itself signs.
    case standardWebhooks = "standard-webhooks"
    /// A generic HMAC-SHA256 over the body in a configurable header, hex or base64.
    case hmacSHA256 = "hmac-sha256"
    /// No verification at all: allowed only when chosen explicitly, and flagged.
    case none
}

/// Settings of the generic `hmac-sha256` scheme.
public struct GenericHMACOptions: Sendable, Hashable, Codable {
    /// How the signature is written in its header.
    public enum Encoding: String, Sendable, Hashable, Codable, CaseIterable {
        case hex, base64
    }

    /// Header carrying the signature; an optional `sha256=` prefix in its value is ignored.
    public var signatureHeader: String
    public var encoding: Encoding
    /// Header naming the event type, when the body has no `type` or `event_type`.
    public var eventTypeHeader: String?
    /// Header with a unique delivery id to dedupe on.
    public var idHeader: String?

    public init(signatureHeader: String = "x-signature", encoding: Encoding = .hex, eventTypeHeader: String? = nil, idHeader: String? = nil) {
        self.signatureHeader = signatureHeader
        self.encoding = encoding
        self.eventTypeHeader = eventTypeHeader
        self.idHeader = idHeader
    }
}
