import Foundation

/// The request Switchboard sends for one attempt: body bytes and headers.
public struct WebhookMessage: Sendable, Hashable {
    public var body: Data
    public var headers: [(name: String, value: String)]
    /// Lower-cased names of the endpoint's custom headers, whose values are recorded masked.
    public var maskedHeaderNames: Set<String> = []

    public static func == (lhs: WebhookMessage, rhs: WebhookMessage) -> Bool {
        lhs.body == rhs.body && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(body)
        for header in headers {
            hasher.combine(header.name)
            hasher.combine(header.value)
        }
    }

    /// The body `{"id","type","timestamp","data"}` for `event`; `data` is the stored payload, byte for byte.
    public static func body(for event: Event) -> Data {
        var body: [UInt8] = []
        body.reserveCapacity(event.payload.count + event.id.utf8.count + event.eventType.utf8.count + 80)
        body.append(contentsOf: "{\"id\":".utf8)
        JSONText.appendString(event.id, to: &body)
        body.append(contentsOf: ",\"type\":".utf8)
        JSONText.appendString(event.eventType, to: &body)
        body.append(contentsOf: ",\"timestamp\":".utf8)
        JSONText.appendString(Timestamp.string(event.createdAt), to: &body)
        body.append(contentsOf: ",\"data\":".utf8)
        if event.payload.isEmpty { body.append(contentsOf: "null".utf8) } else { body.append(contentsOf: event.payload) }
        body.append(UInt8(ascii: "}"))
        return Data(body)
    }

    /// The message for an attempt at `now` to `endpoint`.
    ///
    /// Signature endpoints get Standard Webhooks headers signed with every secret in force
    /// (two during a rotation's grace period); bearer endpoints get `Authorization: Bearer`
    /// with the current secret.
    public static func make(event: Event, endpoint: Endpoint, now: Date, userAgent: String) -> WebhookMessage {
        let body = body(for: event)
        let timestamp = Int(now.timeIntervalSince1970)
        var headers: [(name: String, value: String)] = [
            ("content-type", "application/json"),
            ("user-agent", userAgent),
            ("webhook-id", event.id),
            ("webhook-timestamp", String(timestamp)),
        ]
        switch endpoint.authMode {
        case .signature:
            let signature = WebhookSigner.signatureHeader(
                messageID: event.id, timestamp: timestamp, body: body, secrets: endpoint.signingSecrets(at: now))
            headers.append(("webhook-signature", signature))
        case .bearer:
            headers.append(("authorization", "Bearer \(endpoint.secret.reveal())"))
        }
        if let correlationID = event.correlationID {
            headers.append(("x-switchboard-correlation-id", correlationID))
        }
        if let sourceID = event.sourceID {
            headers.append(("x-switchboard-source-id", sourceID))
        }
        for (name, value) in event.sourceHeaders.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-switchboard-source-\(name.lowercased())", value))
        }
        for (name, value) in endpoint.headers.sorted(by: { $0.key < $1.key }) {
            headers.append((name.lowercased(), value))
        }
        return WebhookMessage(
            body: body, headers: headers, maskedHeaderNames: Set(endpoint.headers.keys.map { $0.lowercased() }))
    }

    /// The headers as recorded on the attempt: the bearer secret is replaced by `Bearer …redacted`
    /// and the values of the endpoint's custom headers (often tokens) by
    /// ``Endpoint/redactedHeaderValue``.
    public var recordedHeaders: [String: String] {
        var recorded: [String: String] = [:]
        for header in headers {
            if maskedHeaderNames.contains(header.name) {
                recorded[header.name] = Endpoint.redactedHeaderValue
            } else {
                recorded[header.name] = header.name == "authorization" ? "Bearer …redacted" : header.value
            }
        }
        return recorded
    }
}
