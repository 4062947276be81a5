import Foundation

/// The delivery of one event to one endpoint, across all its attempts.
public struct Delivery: Sendable, Hashable, Identifiable {
    /// Where a delivery stands.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Due now; waiting for a worker.
        case pending
        /// Claimed by a worker under a lease.
        case inFlight = "in_flight"
        /// Waiting for its next retry at ``Delivery/nextAttemptAt``.
        case scheduled
        case succeeded
        /// Retries exhausted.
        case failed
        /// Held because the endpoint is disabled; resumes when it is enabled.
        case paused
        /// Dropped because the endpoint was deleted.
        case cancelled

        /// Whether no further attempt will be made without an operator's action.
        public var isTerminal: Bool {
            switch self {
            case .succeeded, .failed, .cancelled: true
            case .pending, .inFlight, .scheduled, .paused: false
            }
        }
    }

    public var id: String
    public var tenantID: TenantID
    public var eventID: String
    public var endpointID: String
    public var state: State
    /// Attempts made so far.
    public var attemptCount: Int
    /// When the next attempt is due (pending and scheduled deliveries).
    public var nextAttemptAt: Date?
    /// While in flight: when the claim expires and another worker may take it.
    public var leaseExpiresAt: Date?
    /// While in flight: the token of the claim that holds the lease. Recording an attempt
    /// succeeds only with the current token, so a send that outlived its lease cannot
    /// overwrite what the newer holder recorded.
    public var leaseToken: Int64?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, tenantID: TenantID, eventID: String, endpointID: String, state: State = .pending,
        attemptCount: Int = 0, nextAttemptAt: Date? = nil, leaseExpiresAt: Date? = nil, leaseToken: Int64? = nil,
        lastStatusCode: Int? = nil, lastError: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.eventID = eventID
        self.endpointID = endpointID
        self.state = state
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.leaseExpiresAt = leaseExpiresAt
        self.leaseToken = leaseToken
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
