import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore

/// Publishes a few realistic events per second until shutdown, so the console is alive at once.
/// With a Stripe source, every fourth event arrives through it instead, Stripe-signed, and now
/// and then a forged one (wrong secret) shows how a refusal looks.
struct DemoTraffic: Service {
    let switchboard: Switchboard
    let eventsPerSecond: Double
    /// The demo's Stripe source, or `nil` when the data directory had none.
    let stripeSource: Source?
    let logger: Logger

    static let stripeTypes = ["charge.succeeded", "charge.refunded", "invoice.paid", "invoice.payment_failed"]

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
                if let stripeSource, sequence % 4 == 0 {
                    try await sendStripeEvent(sequence, to: stripeSource)
                } else {
                    _ = try await switchboard.publish(
                        PublishRequest(tenantID: .defaultTenant, eventType: type, payload: JSONValue.object(payload).canonicalData()))
                }
            } catch let error as SwitchboardError where error.kind == .unauthorized && sequence % 40 == 0 {
                // The forged request: refused as it should be, and counted on the source.
            } catch {
                logger.warning("demo publish failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func sendStripeEvent(_ sequence: Int, to source: Source) async throws {
        let body = StripeSigning.event(
            id: String(format: "evt_demo_%06d", sequence), type: Self.stripeTypes.randomElement()!,
            amount: Int.random(in: 500...99_900), currency: ["eur", "usd", "gbp"].randomElement()!)
        let secret = sequence % 40 == 0 ? "whsec_forged_by_someone_else" : DemoSetup.stripeSecret
        _ = try await switchboard.ingest(
            slug: source.slug, request: InboundVerifier.Request(headers: ["stripe-signature": StripeSigning.header(for: body, secret: secret)], body: body))
    }
}
