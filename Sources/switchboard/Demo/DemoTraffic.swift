import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore

/// Publishes a few realistic events per second until shutdown, so the console is alive at once.
struct DemoTraffic: Service {
    let switchboard: Switchboard
    let eventsPerSecond: Double
    let logger: Logger

    static let eventTypes = [
        "order.created", "order.paid", "order.shipped", "invoice.paid", "invoice.overdue",
        "customer.created", "customer.updated", "subscription.renewed",
    ]

    func run() async throws {
        var sequence = 0
        let interval = Duration.milliseconds(Int(1000 / eventsPerSecond))
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            sequence += 1
            let type = Self.eventTypes.randomElement()!
            let payload: [String: JSONValue] = [
                "sequence": .integer(Int64(sequence)),
                "id": .string(String(format: "%@_%05d", type.split(separator: ".")[0].prefix(3).description, sequence)),
                "amount": .number(Double(Int.random(in: 500...99_900)) / 100),
                "currency": .string(["EUR", "USD", "GBP"].randomElement()!),
            ]
            do {
                _ = try await switchboard.publish(
                    PublishRequest(tenantID: .defaultTenant, eventType: type, payload: JSONValue.object(payload).canonicalData()))
            } catch {
                logger.warning("demo publish failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
