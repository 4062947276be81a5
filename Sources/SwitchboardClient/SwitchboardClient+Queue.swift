import Foundation
import SwitchboardCore

extension SwitchboardClient {
    private struct GaugesWire: Decodable {
        var queueDepth: Int
        var pausedDeliveries: Int
        var inFlightDeliveries: Int
        var enabledEndpoints: Int
        var failingEndpoints: Int
        var disabledEndpoints: Int
    }

    private struct HealthWire: Decodable {
        struct Item: Decodable {
            var endpointId: String
            var recentAttempts: Int
            var successRate: Double?
            var p50Milliseconds: Int?
            var inFlight: Int
            var lastOutcome: String?
            var lastAttemptAt: Date?
        }

        var items: [Item]
    }

    /// Queue depth and endpoint counts of the key's tenant.
    public func gauges() async throws(ClientError) -> StoreGauges {
        let wire = try await send(request(.GET, "/v1/gauges"), as: GaugesWire.self)
        return StoreGauges(
            queueDepth: wire.queueDepth, pausedDeliveries: wire.pausedDeliveries, inFlightDeliveries: wire.inFlightDeliveries,
            enabledEndpoints: wire.enabledEndpoints, failingEndpoints: wire.failingEndpoints, disabledEndpoints: wire.disabledEndpoints)
    }

    /// The server's recent attempt figures per endpoint id.
    public func endpointHealth() async throws(ClientError) -> [String: EndpointHealthBoard.Snapshot] {
        let wire = try await send(request(.GET, "/v1/endpoints/health"), as: HealthWire.self)
        var snapshots: [String: EndpointHealthBoard.Snapshot] = [:]
        for item in wire.items {
            snapshots[item.endpointId] = EndpointHealthBoard.Snapshot(
                recentAttempts: item.recentAttempts, successRate: item.successRate, p50Milliseconds: item.p50Milliseconds,
                inFlight: item.inFlight, lastOutcome: item.lastOutcome, lastAttemptAt: item.lastAttemptAt)
        }
        return snapshots
    }
}
