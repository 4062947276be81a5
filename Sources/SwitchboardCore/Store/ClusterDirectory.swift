/// Lists the nodes of a cluster sharing a store (the PostgreSQL store has one; SQLite has none).
public protocol ClusterDirectory: Sendable {
    /// The nodes seen within the last minute, oldest started first.
    func clusterNodes() async throws -> [ClusterNodeInfo]
}
