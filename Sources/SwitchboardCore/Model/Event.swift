import Foundation

/// Something that happened, published once and delivered to every subscribed endpoint.
public struct Event: Sendable, Hashable, Identifiable {
    /// The event's overall delivery status, derived from its deliveries.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Some delivery is still pending, in flight, scheduled or paused.
        case queued = "QUEUED"
        /// Every delivery succeeded (or there was nothing to deliver).
        case delivered = "DELIVERED"
        /// Deliveries are finished; some succeeded and some failed.
        case partial = "PARTIAL"
        /// Deliveries are finished and none succeeded.
        case failed = "FAILED"
        /// The event was replayed as a new event.
        case replayed = "REPLAYED"
    }

    /// How the event entered Switchboard.
    public enum Origin: String, Sendable, Hashable, Codable, CaseIterable {
        case api
        case source
        case direct
        case replay
    }

    public var id: String
    public var tenantID: TenantID
    public var eventType: String
    /// The payload as JSON bytes, delivered verbatim as the body's `data`.
    public var payload: Data
    public var origin: Origin
    public var status: Status
    public var idempotencyKey: String?
    /// The event this one replays.
    public var replayOf: String?
    /// The inbound source the event came from.
    public var sourceID: String?
    public var correlationID: String?
    /// Provider headers of an inbound request worth forwarding (lower-case names), sent on as
    /// `x-switchboard-source-<name>`.
    public var sourceHeaders: [String: String]
    public var createdAt: Date

    public init(
        id: String, tenantID: TenantID, eventType: String, payload: Data, origin: Origin = .api,
        status: Status = .queued, idempotencyKey: String? = nil, replayOf: String? = nil,
        sourceID: String? = nil, correlationID: String? = nil, sourceHeaders: [String: String] = [:], createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.eventType = eventType
        self.payload = payload
        self.origin = origin
        self.status = status
        self.idempotencyKey = idempotencyKey
        self.replayOf = replayOf
        self.sourceID = sourceID
        self.correlationID = correlationID
        self.sourceHeaders = sourceHeaders
        self.createdAt = createdAt
    }

    /// The status implied by the states of the event's deliveries.
    public static func status(for states: [Delivery.State]) -> Status {
        if states.contains(where: { !$0.isTerminal }) { return .queued }
        let succeeded = states.filter { $0 == .succeeded }.count
        let failed = states.filter { $0 == .failed }.count
        if failed == 0 { return .delivered }
        return succeeded == 0 ? .failed : .partial
    }
}
