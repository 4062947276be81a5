import Foundation
import Hummingbird
import SwitchboardCore

/// `GET /v1/nodes` (admin): the nodes of the cluster sharing the store, with their heartbeat;
/// `cluster: false` and no nodes on a single-node (SQLite) store.
struct NodeRoutes {
    let cluster: (any ClusterDirectory)?

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.get("nodes") { _, context in
            _ = try context.require(.admin)
            let nodes = try await cluster?.clusterNodes() ?? []
            return JSONCoding.response(.ok, NodeListDTO(cluster: cluster != nil, nodes: nodes.map(NodeDTO.init)))
        }
    }
}

/// The answer of `GET /v1/nodes`.
struct NodeListDTO: Encodable {
    var cluster: Bool
    var nodes: [NodeDTO]
}

/// One cluster node as the API shows it.
struct NodeDTO: Encodable {
    var id: String
    var host: String
    var version: String
    var startedAt: Date
    var lastSeenAt: Date
    var inFlight: Int
    var leader: Bool

    init(_ node: ClusterNodeInfo) {
        id = node.id
        host = node.host
        version = node.version
        startedAt = node.startedAt
        lastSeenAt = node.lastSeenAt
        inFlight = node.inFlight
        leader = node.leader
    }
}
