import Foundation
import Logging
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
                return .loaded(.health(operations.healthSnapshot()))
            case .gauges:
                return .loaded(.gauges(try await operations.gauges()))
            case .events(let window):
                return .loaded(.events(window, try await operations.events(window.query)))
            case .retryQueue(let limit):
                return .loaded(.retryQueue(try await operations.retryQueue(limit: limit)))
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
        if error is CancellationError { return "cancelled" }
        return "the store is unavailable; try again"
    }
}
