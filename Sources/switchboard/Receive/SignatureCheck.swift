import Foundation
import SwitchboardCore

/// Verifies a request's Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
/// `webhook-signature`) against one secret, for `switchboard receive --secret`.
///
/// The check is the server's own ``InboundVerifier`` for `standard-webhooks` sources. Unlike
/// the server, which never tells a sender why it was refused, `receive` prints the reason:
/// this is a developer's own receiver, and the reason is what they need to see.
struct SignatureCheck: Sendable {
    /// What the check concluded.
    enum Outcome: Sendable, Equatable {
        /// A `v1` entry matched; `age` is how old the timestamp was, in seconds (negative: in the future).
        case verified(age: Int)
        /// Nothing matched, or a header was missing or malformed, or the timestamp was out of tolerance.
        case failed(String)
    }

    private let verifier: InboundVerifier

    init(secret: Secret, tolerance: Int) {
        verifier = InboundVerifier(provider: .standardWebhooks, secret: secret, tolerance: TimeInterval(tolerance))
    }

    func check(headers: [String: String], body: Data, now: Date = Date()) -> Outcome {
        let request = InboundVerifier.Request(headers: headers, body: body)
        do {
            _ = try verifier.verify(request, now: now)
        } catch {
            return .failed(error.reason)
        }
        let timestamp = request.headers["webhook-timestamp"].flatMap { Int($0) } ?? Int(now.timeIntervalSince1970)
        return .verified(age: Int(now.timeIntervalSince1970) - timestamp)
    }
}
