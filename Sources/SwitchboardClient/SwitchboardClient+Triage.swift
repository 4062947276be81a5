import Foundation
import Logging
import SwitchboardCore

extension SwitchboardClient {
    private struct FailedListWire: Decodable {
        struct Item: Decodable {
            var delivery: DeliveryWire
            var eventType: String
            var endpointUrl: String?
        }

        var items: [Item]
    }

    private struct QueueSummaryWire: Decodable {
        struct Item: Decodable {
            var endpointId: String
            var url: String
            var waiting: Int
            var paused: Int
            var scheduled: Int
            var nextDue: Date?
        }

        var items: [Item]
    }

    private struct LocatedWire: Decodable {
        var kind: String
        var id: String
        var eventId: String?
        var endpointId: String?
        var deliveryId: String?
    }

    private struct LogListWire: Decodable {
        struct Item: Decodable {
            var time: Date
            var level: String
            var label: String
            var message: String
        }

        var items: [Item]
    }

    /// Deliveries failed for good or retrying after a failure, newest first.
    public func failedDeliveries(limit: Int, tenant: TenantID) async throws(ClientError) -> [FailedDelivery] {
        let wire = try await send(request(.GET, "/v1/deliveries", query: [("limit", String(limit))]), as: FailedListWire.self)
        return wire.items.map { FailedDelivery(delivery: $0.delivery.delivery(tenantID: tenant), eventType: $0.eventType, endpointURL: $0.endpointUrl) }
    }

    /// The retry queue per endpoint, largest first.
    public func queueSummary(tenant: TenantID) async throws(ClientError) -> [QueueGroup] {
        let wire = try await send(request(.GET, "/v1/queue/summary"), as: QueueSummaryWire.self)
        return wire.items.map {
            QueueGroup(
                endpointID: $0.endpointId, tenantID: tenant, url: $0.url, waiting: $0.waiting, paused: $0.paused, scheduled: $0.scheduled,
                nextDue: $0.nextDue)
        }
    }

    /// One endpoint's waiting deliveries, soonest first.
    public func queuedDeliveries(endpointID: String, limit: Int, tenant: TenantID) async throws(ClientError) -> [Delivery] {
        let query: [(String, String?)] = [("endpoint_id", endpointID), ("limit", String(limit))]
        return try await send(request(.GET, "/v1/queue", query: query), as: DeliveryListWire.self).items.map { $0.delivery(tenantID: tenant) }
    }

    /// What a whole id (`evt_`, `dlv_`, `att_`, `ep_`, `src_`) names.
    public func locate(id: String, tenant: TenantID) async throws(ClientError) -> LocatedID {
        let wire = try await send(request(.GET, "/v1/lookup/\(Self.escape(id))"), as: LocatedWire.self)
        guard let kind = LocatedID.Kind(rawValue: wire.kind) else {
            throw ClientError(.server(status: 200), message: "\(baseURL) named an id of a kind this console does not know: \(wire.kind)")
        }
        return LocatedID(kind: kind, id: wire.id, tenantID: tenant, eventID: wire.eventId, endpointID: wire.endpointId, deliveryID: wire.deliveryId)
    }

    /// The server's recent log lines, warnings and errors first (an admin key's).
    public func recentLogs(limit: Int) async throws(ClientError) -> [LogEntry] {
        let wire = try await send(request(.GET, "/v1/logs", query: [("limit", String(limit)), ("order", "severity")]), as: LogListWire.self)
        return wire.items.map { LogEntry(time: $0.time, level: Logger.Level(rawValue: $0.level) ?? .info, label: $0.label, message: $0.message) }
    }

    /// Requeues the event's failed deliveries to enabled endpoints.
    public func retryFailedDeliveries(eventID: String, tenant: TenantID) async throws(ClientError) -> [Delivery] {
        let path = "/v1/events/\(Self.escape(eventID))/retry-failed"
        return try await send(request(.POST, path, body: Data("{}".utf8)), as: DeliveryListWire.self).items.map { $0.delivery(tenantID: tenant) }
    }

    private struct RecoveredWire: Decodable {
        var requeued: Int
    }

    /// Requeues the endpoint's deliveries that failed since `since`; returns how many.
    public func recoverEndpoint(id: String, since: Date) async throws(ClientError) -> Int {
        let body = (try? WireDecoding.encoder().encode(["since": Timestamp.string(since)])) ?? Data("{}".utf8)
        let path = "/v1/endpoints/\(Self.escape(id))/recover"
        return try await send(request(.POST, path, body: body), as: RecoveredWire.self).requeued
    }
}
