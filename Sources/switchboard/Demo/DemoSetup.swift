import Foundation
import SwitchboardCore

/// The demo's endpoints, pointing at ``DemoReceiver``.
enum DemoSetup {
    static func createEndpoints(on switchboard: Switchboard, receiverPort: Int) async throws {
        let base = "http://127.0.0.1:\(receiverPort)"
        let drafts = [
            EndpointDraft(name: "orders-service", url: "\(base)/orders", description: "Fulfilment: every order event", eventTypes: ["order.*"]),
            EndpointDraft(name: "billing", url: "\(base)/billing", description: "Ledger; flaky under load", eventTypes: ["invoice.*", "order.paid", "subscription.*"]),
            EndpointDraft(name: "legacy-erp", url: "\(base)/legacy", description: "Decommissioned; answers 410 Gone", eventTypes: ["order.created"]),
            EndpointDraft(name: "crm-sync", url: "\(base)/crm", description: "In maintenance for its first minute, then recovers", eventTypes: ["customer.*", "order.created"]),
            EndpointDraft(name: "analytics", url: "\(base)/analytics", description: "Everything; slow and rate-limited", authMode: .bearer),
        ]
        for draft in drafts { _ = try await switchboard.createEndpoint(draft, tenant: .defaultTenant) }
    }

    /// Points the endpoints an earlier demo run created in this data directory at this run's
    /// receiver, whose port is new each time.
    static func repointEndpoints(on switchboard: Switchboard, receiverPort: Int) async throws {
        for endpoint in try await switchboard.endpoints(tenant: nil) {
            guard var components = URLComponents(string: endpoint.url), components.host == "127.0.0.1",
                components.port != receiverPort, demoPaths.contains(components.path)
            else { continue }
            components.port = receiverPort
            guard let url = components.string else { continue }
            _ = try await switchboard.updateEndpoint(id: endpoint.id, tenant: endpoint.tenantID, patch: EndpointPatch(url: url))
        }
    }

    /// The receiver paths the demo's endpoints use.
    static let demoPaths: Set<String> = ["/orders", "/billing", "/legacy", "/crm", "/analytics"]

    /// The Stripe secret of the demo's inbound source; ``DemoTraffic`` signs with it.
    static let stripeSecret = "whsec_demo_stripe_signing_secret"

    /// An inbound Stripe source whose charges and invoices go to the `/orders` receiver.
    static func createStripeSource(on switchboard: Switchboard, receiverPort: Int) async throws -> Source {
        let source = try await switchboard.createSource(
            SourceDraft(name: "stripe-demo", provider: .stripe, signingSecret: stripeSecret), tenant: .defaultTenant)
        _ = try await switchboard.addDestination(
            toSource: source.id, tenant: .defaultTenant,
            draft: EndpointDraft(
                name: "payments", url: "http://127.0.0.1:\(receiverPort)/orders", description: "Stripe events, verified and forwarded",
                eventTypes: ["charge.*", "invoice.*"]))
        return source
    }
}
