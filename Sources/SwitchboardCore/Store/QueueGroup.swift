import Foundation

/// One endpoint's part of the retry queue: how many deliveries wait, and when the next is due.
public struct QueueGroup: Sendable, Hashable {
    public var endpointID: String
    public var tenantID: TenantID
    /// The endpoint's URL as stored.
    public var url: String
    /// `pending` deliveries (due now or at their first attempt).
    public var waiting: Int
    /// `paused` deliveries (the endpoint is disabled).
    public var paused: Int
    /// `scheduled` deliveries (a retry is due later).
    public var scheduled: Int
    /// The earliest `nextAttemptAt` of its pending and scheduled deliveries; `nil` when only paused ones wait.
    public var nextDue: Date?

    public init(endpointID: String, tenantID: TenantID, url: String, waiting: Int, paused: Int, scheduled: Int, nextDue: Date?) {
        self.endpointID = endpointID
        self.tenantID = tenantID
        self.url = url
        self.waiting = waiting
        self.paused = paused
        self.scheduled = scheduled
        self.nextDue = nextDue
    }

    /// Every delivery waiting for this endpoint.
    public var total: Int { waiting + paused + scheduled }
}
