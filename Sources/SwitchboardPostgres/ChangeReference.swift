import SwitchboardCore

/// A change as the `changes` table holds it: its kind, tenant and subject id (and for some
/// kinds one more value), from which another node reads the change back.
struct ChangeReference: Sendable, Hashable {
    var kind: String
    var tenantID: String
    var subject: String
    var detail: String?

    /// The reference of a change made on this node.
    init(_ change: Change) {
        switch change {
        case .eventPublished(let event, _): self.init(kind: "event", tenantID: event.tenantID, subject: event.id)
        case .attemptRecorded(let attempt, let state):
            self.init(kind: "attempt", tenantID: attempt.tenantID, subject: attempt.id, detail: state.rawValue)
        case .deliveryStateChanged(let delivery): self.init(kind: "delivery", tenantID: delivery.tenantID, subject: delivery.id)
        case .eventStatusChanged(let status):
            self.init(kind: "event_status", tenantID: status.tenantID, subject: status.eventID, detail: status.status.rawValue)
        case .endpointChanged(let endpoint): self.init(kind: "endpoint", tenantID: endpoint.tenantID, subject: endpoint.id)
        case .endpointDeleted(let id, let tenantID): self.init(kind: "endpoint_deleted", tenantID: tenantID, subject: id)
        case .sourceChanged(let source): self.init(kind: "source", tenantID: source.tenantID, subject: source.id)
        case .sourceDeleted(let id, let tenantID): self.init(kind: "source_deleted", tenantID: tenantID, subject: id)
        }
    }

    init(kind: String, tenantID: String, subject: String, detail: String? = nil) {
        self.kind = kind
        self.tenantID = tenantID
        self.subject = subject
        self.detail = detail
    }
}
