import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore: ClusterDirectory {
    /// The nodes whose heartbeat was seen within the last minute, oldest started first.
    public func clusterNodes() async throws -> [ClusterNodeInfo] {
        let since = Date().timeIntervalSince1970 - 60
        return try await rows(
            """
            SELECT id, host, version, started_at, last_seen_at, in_flight, leader FROM nodes
            WHERE last_seen_at >= \(since) ORDER BY started_at, id
            """
        ).map { row in
            let (id, host, version, started, seen, inFlight, leader) = try row.decode((String, String, String, Double, Double, Int, Bool).self)
            return ClusterNodeInfo(
                id: id, host: host, version: version, startedAt: Date(timeIntervalSince1970: started),
                lastSeenAt: Date(timeIntervalSince1970: seen), inFlight: inFlight, leader: leader)
        }
    }
}
