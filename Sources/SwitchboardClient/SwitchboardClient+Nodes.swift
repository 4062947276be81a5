import Foundation
import SwitchboardCore

extension SwitchboardClient {
    private struct NodeListWire: Decodable {
        struct Node: Decodable {
            var id: String
            var host: String
            var version: String
            var startedAt: Date
            var lastSeenAt: Date
            var inFlight: Int
            var leader: Bool
        }

        var cluster: Bool
        var nodes: [Node]
    }

    /// The nodes of the cluster the server belongs to (an admin key's); `nil` on a server
    /// whose store no cluster shares.
    public func clusterNodes() async throws(ClientError) -> [ClusterNodeInfo]? {
        let wire = try await send(request(.GET, "/v1/nodes"), as: NodeListWire.self)
        guard wire.cluster else { return nil }
        return wire.nodes.map {
            ClusterNodeInfo(
                id: $0.id, host: $0.host, version: $0.version, startedAt: $0.startedAt, lastSeenAt: $0.lastSeenAt, inFlight: $0.inFlight,
                leader: $0.leader)
        }
    }
}
