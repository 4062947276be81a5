import Crypto
import Foundation

/// Verifies an inbound provider request and extracts its event type and dedupe key.
///
/// Failures carry a reason for the operator (kept and counted per source); callers answer
/// the sender with a generic 401 and never echo the reason.
public struct InboundVerifier: Sendable {
    /// A request as it arrived: header names in lower case, the exact body bytes.
    public struct Request: Sendable {
        public var headers: [String: String]
        public var body: Data

        public init(headers: [String: String], body: Data) {
            self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            self.body = body
        }
    }

    /// What a verified request is.
    public struct Verified: Sendable, Hashable {
        public var eventType: String
        /// The provider's unique id of this delivery, to acknowledge redeliveries without fanning out twice.
        public var dedupeKey: String?
        /// Provider headers worth forwarding, as `x-switchboard-source-<name>`.
        public var forwardedHeaders: [String: String]
    }

    /// Why a request was refused. `reason` is for the operator only.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public let provider: SourceProvider
    /// Every secret in force; a signature made with any of them verifies.
    public let secrets: [Secret]
    public let options: GenericHMACOptions
    /// Largest accepted clock difference for timestamped schemes.
    public let tolerance: TimeInterval

    public init(provider: SourceProvider, secrets: [Secret], options: GenericHMACOptions = GenericHMACOptions(), tolerance: TimeInterval = 300) {
        self.provider = provider
        self.secrets = secrets
        self.options = options
        self.tolerance = tolerance
    }

    public func verify(_ request: Request, now: Date) throws(Failure) -> Verified {
        switch provider {
        case .stripe: return try verifyStripe(request, now: now)
        case .github: return try verifyGitHub(request)
        case .shopify: return try verifyShopify(request)
        case .standardWebhooks: return try verifyStandardWebhooks(request, now: now)
        case .hmacSHA256: return try verifyGeneric(request)
        case .none:
            // Nothing to verify; a body that is not JSON is refused later as a bad request, not as unverified.
            let type = (try? bodyType(request.body, keys: ["type", "event_type"])) ?? nil
            return Verified(eventType: type ?? "unknown", dedupeKey: nil, forwardedHeaders: [:])
        }
    }

    public init(provider: SourceProvider, secret: Secret, options: GenericHMACOptions = GenericHMACOptions(), tolerance: TimeInterval = 300) {
        self.init(provider: provider, secrets: [secret], options: options, tolerance: tolerance)
    }

    /// Whether `signature` is the HMAC of `message` under any secret in force.
    private func matches(_ signature: Data, over message: Data) -> Bool {
        secrets.contains { Self.isValid(signature, over: message, key: Data($0.reveal().utf8)) }
    }

    private func verifyStripe(_ request: Request, now: Date) throws(Failure) -> Verified {
        guard let header = request.headers["stripe-signature"] else { throw Failure(reason: "missing Stripe-Signature header") }
        var timestamp: Int?
        var signatures: [Data] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1", let bytes = Data(hex: pair[1]) { signatures.append(bytes) }
        }
        guard let timestamp else { throw Failure(reason: "malformed Stripe-Signature header: no timestamp") }
        guard !signatures.isEmpty else { throw Failure(reason: "malformed Stripe-Signature header: no v1 signature") }
        try checkFreshness(timestamp, now: now)
        var signed = Data("\(timestamp).".utf8)
        signed.append(request.body)
        guard signatures.contains(where: { matches($0, over: signed) }) else {
            throw Failure(reason: "no v1 signature matches (wrong secret or altered body)")
        }
        let body = JSONValue.parse(request.body)
        guard case .string(let type)? = body?["type"] else { throw Failure(reason: "body has no string 'type'") }
        let id: String? = if case .string(let value)? = body?["id"] { value } else { nil }
        return Verified(eventType: type, dedupeKey: id, forwardedHeaders: pick(request, ["stripe-signature"]))
    }

    private func verifyGitHub(_ request: Request) throws(Failure) -> Verified {
        guard let header = request.headers["x-hub-signature-256"] else { throw Failure(reason: "missing X-Hub-Signature-256 header") }
        guard header.hasPrefix("sha256="), let signature = Data(hex: String(header.dropFirst(7))) else {
            throw Failure(reason: "malformed X-Hub-Signature-256 header")
        }
        guard matches(signature, over: request.body) else { throw Failure(reason: "signature does not match (wrong secret or altered body)") }
        guard let event = request.headers["x-github-event"], !event.isEmpty else { throw Failure(reason: "missing X-GitHub-Event header") }
        var type = event
        if case .string(let action)? = JSONValue.parse(request.body)?["action"] { type += ".\(action)" }
        return Verified(
            eventType: type, dedupeKey: request.headers["x-github-delivery"],
            forwardedHeaders: pick(request, ["x-github-event", "x-github-delivery", "x-github-hook-id"]))
    }

    private func verifyShopify(_ request: Request) throws(Failure) -> Verified {
        guard let header = request.headers["x-shopify-hmac-sha256"] else { throw Failure(reason: "missing X-Shopify-Hmac-Sha256 header") }
        guard let signature = Data(base64Encoded: header.trimmingCharacters(in: .whitespaces)) else {
            throw Failure(reason: "malformed X-Shopify-Hmac-Sha256 header")
        }
        guard matches(signature, over: request.body) else { throw Failure(reason: "signature does not match (wrong secret or altered body)") }
        guard let topic = request.headers["x-shopify-topic"], !topic.isEmpty else { throw Failure(reason: "missing X-Shopify-Topic header") }
        return Verified(
            eventType: topic.replacingOccurrences(of: "/", with: "."), dedupeKey: request.headers["x-shopify-webhook-id"],
            forwardedHeaders: pick(request, ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id"]))
    }

    private func verifyStandardWebhooks(_ request: Request, now: Date) throws(Failure) -> Verified {
        guard let id = request.headers["webhook-id"], let timestampText = request.headers["webhook-timestamp"],
            let header = request.headers["webhook-signature"]
        else { throw Failure(reason: "missing webhook-id, webhook-timestamp or webhook-signature header") }
        guard let timestamp = Int(timestampText) else { throw Failure(reason: "malformed webhook-timestamp header") }
        try checkFreshness(timestamp, now: now)
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(request.body)
        let keys = secrets.map(WebhookSigner.keyBytes(of:))
        let candidates = header.split(separator: " ").compactMap { entry -> Data? in
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { return nil }
            return Data(base64Encoded: String(parts[1]))
        }
        guard !candidates.isEmpty else { throw Failure(reason: "malformed webhook-signature header: no v1 entry") }
        guard candidates.contains(where: { candidate in keys.contains { Self.isValid(candidate, over: signed, key: $0) } }) else {
            throw Failure(reason: "no v1 signature matches (wrong secret or altered body)")
        }
        return Verified(eventType: try bodyType(request.body, keys: ["type"]) ?? "unknown", dedupeKey: id, forwardedHeaders: pick(request, ["webhook-id"]))
    }

    private func verifyGeneric(_ request: Request) throws(Failure) -> Verified {
        let headerName = options.signatureHeader.lowercased()
        guard var value = request.headers[headerName] else { throw Failure(reason: "missing \(options.signatureHeader) header") }
        if value.hasPrefix("sha256=") { value.removeFirst(7) }
        let decoded = options.encoding == .hex ? Data(hex: value) : Data(base64Encoded: value)
        guard let signature = decoded else { throw Failure(reason: "malformed \(options.signatureHeader) header: not \(options.encoding.rawValue)") }
        guard matches(signature, over: request.body) else { throw Failure(reason: "signature does not match (wrong secret or altered body)") }
        let fromHeader = options.eventTypeHeader.flatMap { request.headers[$0.lowercased()] }
        let type = try bodyType(request.body, keys: ["type", "event_type"]) ?? fromHeader ?? "unknown"
        return Verified(eventType: type, dedupeKey: options.idHeader.flatMap { request.headers[$0.lowercased()] }, forwardedHeaders: [:])
    }

    private func checkFreshness(_ timestamp: Int, now: Date) throws(Failure) {
        let skew = abs(now.timeIntervalSince1970 - TimeInterval(timestamp))
        guard skew <= tolerance else { throw Failure(reason: "timestamp is \(Int(skew)) s away from now (tolerance \(Int(tolerance)) s)") }
    }

    private func bodyType(_ body: Data, keys: [String]) throws(Failure) -> String? {
        guard let json = JSONValue.parse(body) else { throw Failure(reason: "body is not JSON") }
        for key in keys { if case .string(let type)? = json[key], EventType.isValid(type) { return type } }
        return nil
    }

    private func pick(_ request: Request, _ names: [String]) -> [String: String] {
        var picked: [String: String] = [:]
        for name in names { if let value = request.headers[name] { picked[name] = value } }
        return picked
    }

    /// Constant-time HMAC-SHA256 check.
    static func isValid(_ signature: Data, over message: Data, key: Data) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: message, using: SymmetricKey(data: key))
    }
}
