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
}
