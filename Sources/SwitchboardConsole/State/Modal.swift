import SwitchboardCore

/// What sits on top of the panes and takes the keys while it is open.
enum Modal: Sendable, Hashable {
    /// The `?` key overview for the focused pane, scrolled down by `scroll` lines.
    case help(scroll: Int)
    /// The `/` filter prompt for a pane.
    case filter(FilterPrompt)
    /// A y/N question before an action.
    case confirm(Confirmation)
    /// A question answered by typing a name (secret rotation).
    case typedConfirm(TypedConfirmation)
    /// A new secret, shown once.
    case secret(SecretReveal)
}

/// The filter being typed.
struct FilterPrompt: Sendable, Hashable {
    var pane: Pane
    var text: String
}

/// An action that changes the dispatcher, run only after the operator confirms it.
enum OperatorAction: Sendable, Hashable {
    /// Publish a copy of the event to these endpoints.
    case replay(event: EventRef, eventType: String, endpointIDs: [String], endpointNames: [String])
    /// Make one delivery due now.
    case retryDelivery(id: String, tenantID: TenantID, endpointName: String)
    /// Disable (pause) or enable the endpoint.
    case setEndpointEnabled(id: String, tenantID: TenantID, name: String, enabled: Bool)
    /// Replace the endpoint's secret.
    case rotateSecret(endpointID: String, tenantID: TenantID, name: String)

    /// A short name for messages ("replay", "retry", …).
    var verb: String {
        switch self {
        case .replay: "replay"
        case .retryDelivery: "retry"
        case .setEndpointEnabled(_, _, _, let enabled): enabled ? "enable" : "disable"
        case .rotateSecret: "secret rotation"
        }
    }
}

/// A y/N question.
struct Confirmation: Sendable, Hashable {
    var action: OperatorAction
    var title: String
    var lines: [String]
}

/// A question answered by typing ``expected`` exactly.
struct TypedConfirmation: Sendable, Hashable {
    var action: OperatorAction
    var title: String
    var lines: [String]
    var expected: String
    var typed: String = ""
    /// Set when Enter was pressed with the wrong text.
    var mismatch = false
}

/// A secret shown once; it is dropped from the state when the modal closes.
struct SecretReveal: Sendable, Hashable {
    var endpointName: String
    var endpointID: String
    var secret: Secret
    var graceNote: String
}
