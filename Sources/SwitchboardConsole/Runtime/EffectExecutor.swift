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
            case .retryQueue(let endpointID, let tenantID, let limit):
                let rows = try await operations.queuedDeliveries(endpointID: endpointID, tenantID: tenantID, limit: limit)
                return .loaded(.retryQueue(endpointID: endpointID, rows))
            case .queueGroups:
                return .loaded(.queueGroups(try await operations.queueSummary()))
            case .failures(let limit):
                return .loaded(.failures(try await operations.failedDeliveries(limit: limit).map(FailureRow.init)))
            case .locate(let id):
                let located = try await operations.locate(id: id)
                guard let target = LocatedTarget(located) else {
                    return .loaded(.failed(request, "it is a source; sources are listed with s"))
                }
                return .loaded(.located(id, target))
            case .logs(let limit):
                guard let lines = try await operations.recentLogs(limit: limit) else {
                    return .loaded(.failed(request, "this dispatcher does not keep recent log lines; see <data-dir>/switchboard.log"))
                }
                return .loaded(.logs(lines.map(LogRow.init)))
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
                let deliveries = try await operations.retryFailedDeliveries(event)
                logger.info("console retried failed deliveries", metadata: ["event": "\(event.id)", "deliveries": "\(deliveries.count)"])
                return .completed(.retriedFailed(original: event, deliveries: deliveries))
            case .recover(let endpointID, let tenantID, let name, let since):
                let count = try await operations.recoverEndpoint(id: endpointID, tenantID: tenantID, since: since)
                logger.info("console recovered failed deliveries", metadata: ["endpoint": "\(endpointID)", "deliveries": "\(count)"])
                return .completed(.recovered(endpointName: name, since: since, count: count))
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

    /// A one-line message for `error` that never carries a secret or a stack trace.
    static func message(for error: any Error) -> String {
        if let error = error as? SwitchboardError { return error.message }
        if let error = error as? ClientError { return error.message }
        if error is CancellationError { return "cancelled" }
        return "the store is unavailable; try again"
    }
}
