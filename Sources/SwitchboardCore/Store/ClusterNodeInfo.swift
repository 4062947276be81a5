import Foundation

/// One node of a cluster sharing a store, as its heartbeat last described it.
public struct ClusterNodeInfo: Sendable, Hashable {
    public var id: String
    public var host: String
    public var version: String
    public var startedAt: Date
    public var lastSeenAt: Date
    /// Deliveries it had in flight at its last heartbeat.
    public var inFlight: Int
    /// Whether it runs the cluster's singleton jobs.
    public var leader: Bool

    public init(id: String, host: String, version: String, startedAt: Date, lastSeenAt: Date, inFlight: Int, leader: Bool) {
        self.id = id
        self.host = host
        self.version = version
        self.startedAt = startedAt
        self.lastSeenAt = lastSeenAt
        self.inFlight = inFlight
        self.leader = leader
    }
}
