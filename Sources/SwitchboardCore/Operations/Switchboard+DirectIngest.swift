import Foundation

/// A request to `POST /e/{endpoint_id}`: a body signed with the endpoint's own secret.
public struct DirectIngestRequest: Sendable, Hashable {
    public var endpointID: String
    public var tenantID: TenantID
    public var body: Data
    /// `X-Switchboard-Timestamp`, unix seconds.
    public var timestamp: String?
    /// `X-Switchboard-Signature`, hex HMAC-SHA256 of `"<timestamp>.<body>"`.
    public var signature: String?
    /// `X-Switchboard-Event-Type`, used when the body has no `event_type`.
    public var eventTypeHeader: String?
    /// `X-Switchboard-Correlation-ID`, stored and forwarded.
    public var correlationID: String?
    public var idempotencyKey: String?

    public init(
        endpointID: String, tenantID: TenantID, body: Data, timestamp: String?, signature: String?,
        eventTypeHeader: String? = nil, correlationID: String? = nil, idempotencyKey: String? = nil
    ) {
        self.endpointID = endpointID
        self.tenantID = tenantID
        self.body = body
        self.timestamp = timestamp
        self.signature = signature
        self.eventTypeHeader = eventTypeHeader
        self.correlationID = correlationID
        self.idempotencyKey = idempotencyKey
    }
}

extension Switchboard {
    /// Verifies a direct signed ingest request against the endpoint's secrets (the previous one
    /// too during a rotation's grace) and queues the body for that one endpoint.
    public func ingestDirect(_ request: DirectIngestRequest) async throws(SwitchboardError) -> PublishResult {
        let endpoint = try await endpoint(id: request.endpointID, tenant: request.tenantID)
        let now = clock.now()
        do {
            try DirectIngestSignature.verify(
                signature: request.signature, timestamp: request.timestamp, body: request.body,
                secrets: endpoint.signingSecrets(at: now), now: now)
        } catch {
            logger.notice("direct ingest refused", metadata: ["endpoint": "\(endpoint.id)", "reason": "\(error.reason)"])
            throw SwitchboardError(.unauthorized, code: "signature_invalid", message: "X-Switchboard-Signature or X-Switchboard-Timestamp is missing, stale or wrong")
        }
        guard let json = JSONValue.parse(request.body), case .object = json else {
            throw SwitchboardError(.badRequest, code: "body_not_json", message: "the body must be a JSON object")
        }
        let eventType: String
        if case .string(let fromBody)? = json["event_type"] {
            eventType = fromBody
        } else if let fromHeader = request.eventTypeHeader {
            eventType = fromHeader
        } else {
            throw .invalid("event_type", "missing: put event_type in the body or send X-Switchboard-Event-Type")
        }
        if let correlationID = request.correlationID, correlationID.isEmpty || correlationID.count > 255 {
            throw .invalid("X-Switchboard-Correlation-ID", "must be 1–255 characters")
        }
        return try await publish(
            PublishRequest(
                tenantID: request.tenantID, eventType: eventType, payload: request.body, idempotencyKey: request.idempotencyKey,
                requestHash: request.idempotencyKey == nil ? nil : PublishRequest.requestHash(scope: endpoint.id, body: request.body),
                origin: .direct, correlationID: request.correlationID, endpointIDs: [endpoint.id]))
    }
}
