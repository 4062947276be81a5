import Foundation
import Logging
import SwitchboardClient
import SwitchboardCore

/// Runs the reducer's effects against the dispatcher and turns their results (or errors,
/// as messages safe to show) into inputs.
struct EffectExecutor: Sendable {
    let operations: any ConsoleOperations
    let logger: Logger

    /// Loads `request`'s data.
    func load(_ request: DataRequest) async -> Input {
        do {
            switch request {
            case .endpoints:
                return .loaded(.endpoints(try await operations.endpoints()))
            case .sources:
                return .loaded(.sources(try await operations.sources()))
            case .health:
                return .loaded(.health(try await operations.healthSnapshot()))
            case .gauges:
                return .loaded(.gauges(try await operations.gauges()))
            case .events(let window):
                return .loaded(.events(window, try await operations.events(window.query)))
            case .retryQueue(let endpointID, _, let limit):
                // Until the store lists one endpoint's queue: its rows among the soonest.
                let rows = try await operations.retryQueue(limit: 5000).filter { $0.endpointID == endpointID }
                return .loaded(.retryQueue(endpointID: endpointID, Array(rows.prefix(limit))))
            case .queueGroups:
                // Until the store counts the queue per endpoint: grouped from the soonest rows.
                let rows = try await operations.retryQueue(limit: 5000)
                let urls = Dictionary(try await operations.endpoints().map { ($0.id, $0.url) }, uniquingKeysWith: { first, _ in first })
                let groups = Dictionary(grouping: rows, by: \.endpointID).map { endpointID, deliveries in
                    QueueGroup(
                        endpointID: endpointID, tenantID: deliveries[0].tenantID, url: urls[endpointID] ?? "",
                        waiting: deliveries.count { $0.state == .pending },
                        paused: deliveries.count { $0.state == .paused },
                        scheduled: deliveries.count { $0.state == .scheduled },
                        nextDue: deliveries.compactMap(\.nextAttemptAt).min())
                }
                return .loaded(.queueGroups(groups.sorted { ($0.total, $1.endpointID) > ($1.total, $0.endpointID) }))
            case .failures(let limit):
                // Until the store lists failed deliveries: those of the newest failed,
                // partial and queued events.
                var rows: [FailureRow] = []
                let urls = Dictionary(try await operations.endpoints().map { ($0.id, $0.url) }, uniquingKeysWith: { first, _ in first })
                for status in [Event.Status.failed, .partial, .queued] {
                    let page = try await operations.events(EventQuery(tenant: nil, limit: 40, status: status))
                    for event in page.items {
                        try Task.checkCancellation()
                        let detail = try await operations.eventDetail(EventRef(id: event.id, tenantID: event.tenantID))
                        for delivery in detail.deliveries where delivery.state == .failed || (delivery.state == .scheduled && delivery.attemptCount > 0) {
                            rows.append(
                                FailureRow(
                                    delivery: delivery, eventType: event.eventType, endpointURL: urls[delivery.endpointID] ?? "",
                                    lastError: delivery.lastError, lastStatusCode: delivery.lastStatusCode,
                                    attemptCount: delivery.attemptCount, nextAttemptAt: delivery.nextAttemptAt))
                        }
                    }
                }
                return .loaded(.failures(Array(rows.sorted { $0.delivery.updatedAt > $1.delivery.updatedAt }.prefix(limit))))
            case .locate(let id):
                return .loaded(.located(id, try await locate(id)))
            case .logs:
                return .loaded(.failed(request, "this dispatcher does not keep recent log lines; see <data-dir>/switchboard.log"))
            case .eventDetail(let event):
                return .loaded(.eventDetail(event, try await operations.eventDetail(event)))
            case .tallies(let events):
                var tallies: [String: DeliveryTally] = [:]
                for event in events {
                    try Task.checkCancellation()
                    if let detail = try? await operations.eventDetail(event) {
                        tallies[event.id] = DeliveryTally(detail.deliveries)
                    }
                }
                return .loaded(.tallies(tallies, requested: events))
            }
        } catch {
            logger.debug("console load failed", metadata: ["request": "\(request.kind)", "error": "\(error)"])
            return .loaded(.failed(request, Self.message(for: error)))
        }
    }

    /// Performs an operator action.
    func perform(_ action: OperatorAction) async -> Input {
        do {
            switch action {
            case .replay(let event, _, let endpointIDs, let names):
                let result = try await operations.replay(event, endpointIDs: endpointIDs)
                logger.info("console replayed event", metadata: ["event": "\(event.id)", "new_event": "\(result.event.id)"])
                return .completed(.replayed(original: event, result: result, endpointNames: names))
            case .retryFailed(let event, _):
                // Until the store offers it in one operation: the failed deliveries of the
                // event whose endpoint is enabled, each retried.
                let detail = try await operations.eventDetail(event)
                let enabled = Set(try await operations.endpoints().filter(\.enabled).map(\.id))
                var deliveries: [Delivery] = []
                for delivery in detail.deliveries where delivery.state == .failed && enabled.contains(delivery.endpointID) {
                    deliveries.append(try await operations.retryDelivery(id: delivery.id, tenantID: delivery.tenantID))
                }
                logger.info("console retried failed deliveries", metadata: ["event": "\(event.id)", "deliveries": "\(deliveries.count)"])
                return .completed(.retriedFailed(original: event, deliveries: deliveries))
            case .recover(let endpointID, let tenantID, let name, let since):
                let deliveries = try await recoverByRetrying(endpointID: endpointID, tenantID: tenantID, since: since)
                logger.info("console recovered failed deliveries", metadata: ["endpoint": "\(endpointID)", "deliveries": "\(deliveries.count)"])
                return .completed(.recovered(endpointName: name, since: since, count: deliveries.count))
            case .quitStoppingDispatcher:
                return .completed(.failed(action, "quitting is not a dispatcher action"))
            case .retryDelivery(let id, let tenantID, let name):
                let delivery = try await operations.retryDelivery(id: id, tenantID: tenantID)
                logger.info("console retried delivery", metadata: ["delivery": "\(id)"])
                return .completed(.retried(delivery, endpointName: name))
            case .setEndpointEnabled(let id, let tenantID, _, let enabled):
                let endpoint = try await operations.setEndpointEnabled(id: id, tenantID: tenantID, enabled: enabled)
                logger.info("console \(enabled ? "enabled" : "disabled") endpoint", metadata: ["endpoint": "\(id)"])
                return .completed(.endpointChanged(endpoint))
            case .rotateSecret(let endpointID, let tenantID, _):
                let endpoint = try await operations.rotateSecret(endpointID: endpointID, tenantID: tenantID)
                logger.info("console rotated endpoint secret", metadata: ["endpoint": "\(endpointID)"])
                return .completed(.secretRotated(endpoint))
            }
        } catch {
            logger.warning("console action failed", metadata: ["action": "\(action.verb)", "error": "\(error)"])
            return .completed(.failed(action, Self.message(for: error)))
        }
    }

    /// Until the store resolves any id: events by id in each tenant the console knows of,
    /// endpoints from the list.
    private func locate(_ id: String) async throws -> LocatedTarget {
        let endpoints = try await operations.endpoints()
        if id.hasPrefix("ep_") {
            guard let endpoint = endpoints.first(where: { $0.id == id }) else { throw SwitchboardError(.notFound, code: "not_found", message: "no endpoint \(id)") }
            return .endpoint(id: endpoint.id, tenantID: endpoint.tenantID)
        }
        guard id.hasPrefix("evt_") else { throw SwitchboardError(.notFound, code: "not_found", message: "only event and endpoint ids can be looked up by this dispatcher") }
        let tenants = Set(endpoints.map(\.tenantID) + (try await operations.sources()).map(\.tenantID) + ["default"])
        for tenant in tenants.sorted() {
            if let detail = try? await operations.eventDetail(EventRef(id: id, tenantID: tenant)) {
                return .event(EventRef(id: detail.event.id, tenantID: detail.event.tenantID))
            }
        }
        throw SwitchboardError(.notFound, code: "not_found", message: "no event \(id)")
    }

    /// Until the store offers recovery as one operation: retries each delivery to the
    /// endpoint that failed for good since `since`, found through the failed and partial
    /// events delivered to it (at most 500 events).
    private func recoverByRetrying(endpointID: String, tenantID: TenantID, since: Date) async throws -> [Delivery] {
        var recovered: [Delivery] = []
        for status in [Event.Status.failed, .partial] {
            let page = try await operations.events(EventQuery(tenant: tenantID, limit: 500, offset: 0, endpointID: endpointID, status: status))
            for event in page.items where event.createdAt >= since.addingTimeInterval(-86400) {
                try Task.checkCancellation()
                let detail = try await operations.eventDetail(EventRef(id: event.id, tenantID: event.tenantID))
                for delivery in detail.deliveries where delivery.endpointID == endpointID && delivery.state == .failed && delivery.updatedAt >= since {
                    recovered.append(try await operations.retryDelivery(id: delivery.id, tenantID: delivery.tenantID))
                }
            }
        }
        return recovered
    }

    /// A one-line message for `error` that never carries a secret or a stack trace.
    static func message(for error: any Error) -> String {
        if let error = error as? SwitchboardError { return error.message }
        if let error = error as? ClientError { return error.message }
        if error is CancellationError { return "cancelled" }
        return "the store is unavailable; try again"
    }
}
