import Foundation

/// The fields of a new inbound source, validated before anything is stored.
public struct SourceDraft: Sendable, Hashable {
    public var name: String
    public var provider: SourceProvider
    /// The provider's signing secret. Required for `stripe`, `github` and `shopify`; generated
    /// when omitted for `standard-webhooks` and `hmac-sha256`; must be omitted for `none`.
    public var signingSecret: String?
    public var hmacOptions: GenericHMACOptions
    public var retentionDays: Int?

    public init(
        name: String, provider: SourceProvider, signingSecret: String? = nil,
        hmacOptions: GenericHMACOptions = GenericHMACOptions(), retentionDays: Int? = nil
    ) {
        self.name = name
        self.provider = provider
        self.signingSecret = signingSecret
        self.hmacOptions = hmacOptions
        self.retentionDays = retentionDays
    }

    /// Throws a ``SwitchboardError`` naming the first invalid field.
    public func validate() throws(SwitchboardError) {
        try EndpointValidation.name(name)
        try SourceValidation.signingSecret(signingSecret, provider: provider)
        try SourceValidation.hmacOptions(hmacOptions)
        if let retentionDays { try SourceValidation.retentionDays(retentionDays) }
    }
}

/// Changes to an inbound source; `nil` leaves a field as it is.
public struct SourcePatch: Sendable, Hashable {
    public var name: String?
    /// `.some(nil)` clears the source's own retention (back to the global default).
    public var retentionDays: Int??
    public var hmacOptions: GenericHMACOptions?

    public init(name: String? = nil, retentionDays: Int?? = nil, hmacOptions: GenericHMACOptions? = nil) {
        self.name = name
        self.retentionDays = retentionDays
        self.hmacOptions = hmacOptions
    }

    public func validate() throws(SwitchboardError) {
        if let name { try EndpointValidation.name(name) }
        if let retentionDays, let days = retentionDays { try SourceValidation.retentionDays(days) }
        if let hmacOptions { try SourceValidation.hmacOptions(hmacOptions) }
    }

    func applied(to source: Source) -> Source {
        var source = source
        if let name { source.name = name }
        if let retentionDays { source.retentionDays = retentionDays }
        if let hmacOptions { source.hmacOptions = hmacOptions }
        return source
    }
}

/// Field rules shared by creating, updating and rotating sources.
public enum SourceValidation {
    /// The longest retention a source may ask for: ten years.
    public static let maxRetentionDays = 3650

    public static func signingSecret(_ secret: String?, provider: SourceProvider) throws(SwitchboardError) {
        switch provider {
        case .none:
            guard secret == nil else { throw .invalid("signing_secret", "must be omitted for provider none: its requests are not verified") }
        case .stripe, .github, .shopify:
            guard let secret else { throw .invalid("signing_secret", "is required for provider \(provider.rawValue): copy it from the provider's webhook settings") }
            try length(secret)
        case .standardWebhooks:
            guard let secret else { return }
            try length(secret)
            guard secret.hasPrefix("whsec_"), Data(base64Encoded: String(secret.dropFirst(6))) != nil else {
                throw .invalid("signing_secret", "must be whsec_ followed by base64, as Standard Webhooks secrets are")
            }
        case .hmacSHA256:
            guard let secret else { return }
            try length(secret)
        }
    }

    private static func length(_ secret: String) throws(SwitchboardError) {
        guard (8...512).contains(secret.count), secret.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            throw .invalid("signing_secret", "must be 8–512 printable ASCII characters without spaces")
        }
    }

    public static func retentionDays(_ days: Int) throws(SwitchboardError) {
        guard (1...maxRetentionDays).contains(days) else { throw .invalid("retention_days", "must be between 1 and \(maxRetentionDays)") }
    }

    public static func hmacOptions(_ options: GenericHMACOptions) throws(SwitchboardError) {
        for (field, header) in [("signature_header", Optional(options.signatureHeader)), ("event_type_header", options.eventTypeHeader), ("id_header", options.idHeader)] {
            guard let header else { continue }
            let token = header.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            guard !header.isEmpty, header.count <= 64, token else {
                throw .invalid("hmac.\(field)", "must be an HTTP header name of 1–64 letters, digits, '-' or '_'")
            }
        }
    }
}
