import Foundation
import SwitchboardCore

/// How an inbound source is doing, as the sources view shows it.
enum SourceStatus: Sendable, Hashable {
    /// Verified and its last request was accepted (or it has had none yet).
    case receiving
    /// Its last request was refused: ``Source/lastRejectedAt`` is after ``Source/lastReceivedAt``.
    case refusing
    /// The `none` provider: every request is accepted, nothing is verified.
    case unverified

    init(_ source: Source) {
        if Self.isRefusing(source) {
            self = .refusing
        } else if source.provider == .none {
            self = .unverified
        } else {
            self = .receiving
        }
    }

    /// Whether the source's most recent request was refused.
    static func isRefusing(_ source: Source) -> Bool {
        guard let rejected = source.lastRejectedAt else { return false }
        return source.lastReceivedAt.map { rejected > $0 } ?? true
    }

    /// The word the `status:` filter matches.
    var word: String {
        switch self {
        case .receiving: "receiving"
        case .refusing: "refusing"
        case .unverified: "unverified"
        }
    }
}

/// Texts about sources shared by the list and the detail view.
enum SourceText {
    /// The provider as a short column word; `none` reads `UNVERIFIED`.
    static func provider(_ provider: SourceProvider) -> String {
        switch provider {
        case .standardWebhooks: "std-webhooks"
        case .none: "UNVERIFIED"
        default: provider.rawValue
        }
    }

    /// What the provider checks on each request.
    static func verification(_ provider: SourceProvider) -> String {
        switch provider {
        case .stripe: "Stripe-Signature (HMAC-SHA256)"
        case .github: "X-Hub-Signature-256 (HMAC-SHA256)"
        case .shopify: "X-Shopify-Hmac-Sha256 (HMAC-SHA256)"
        case .standardWebhooks: "webhook-signature (Standard Webhooks)"
        case .hmacSHA256: "HMAC-SHA256 of the body in a configured header"
        case .none: "nothing: every request is accepted"
        }
    }
}
