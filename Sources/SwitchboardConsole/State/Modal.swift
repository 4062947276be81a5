import Foundation
import SwitchboardCore

/// What sits on top of the panes and takes the keys while it is open.
enum Modal: Sendable, Hashable {
    /// The `?` key overview for the focused pane, scrolled down by `scroll` lines.
    case help(scroll: Int)
    /// The `/` filter prompt for a pane.
    case filter(FilterPrompt)
    /// A question before an action, answered with `y` then Enter (after ``Confirmation/armDelay``).
    case confirm(Confirmation)
    /// A question answered by typing a name (secret rotation).
    case typedConfirm(TypedConfirmation)
    /// A new secret, shown once.
    case secret(SecretReveal)
    /// `B`: the time to recover failed deliveries since, then the endpoint's name.
    case recover(RecoverPrompt)
    /// The admin key the first start created, shown once until dismissed.
    case adminKey(AdminKeyPanel)
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
    /// Requeue only the event's failed deliveries (paused endpoints are skipped).
    case retryFailed(event: EventRef, endpointNames: [String])
    /// Make one delivery due now.
    case retryDelivery(id: String, tenantID: TenantID, endpointName: String)
    /// Disable (pause) or enable the endpoint.
    case setEndpointEnabled(id: String, tenantID: TenantID, name: String, enabled: Bool)
    /// Replace the endpoint's secret.
    case rotateSecret(endpointID: String, tenantID: TenantID, name: String)
    /// Requeue the endpoint's failed deliveries since a time.
    case recover(endpointID: String, tenantID: TenantID, name: String, since: Date)
    /// Quit although the dispatcher in this process has deliveries queued or in flight.
    case quitStoppingDispatcher

    /// A short name for messages ("replay", "retry", …).
    var verb: String {
        switch self {
        case .replay: "replay"
        case .retryFailed: "retry of the failed deliveries"
        case .retryDelivery: "retry"
        case .setEndpointEnabled(_, _, _, let enabled): enabled ? "resume" : "pause"
        case .rotateSecret: "secret rotation"
        case .recover: "recovery"
        case .quitStoppingDispatcher: "quit"
        }
    }
}

/// A question before an action: it ignores every key for its first ``armDelay`` (so a key
/// typed ahead never answers it), then takes `y` and then Enter. With several options
/// (retry the failed deliveries, or replay to all), `1`–`9` or the arrows pick one first.
struct Confirmation: Sendable, Hashable {
    /// How long a new dialog ignores keys.
    static let armDelay: TimeInterval = 0.3

    /// One answer the dialog offers.
    struct Option: Sendable, Hashable {
        var label: String
        var action: OperatorAction
        /// Lines shown under the option while it is selected.
        var lines: [String] = []
    }

    var options: [Option]
    var selected = 0
    var title: String
    /// Lines above the options.
    var lines: [String]
    /// When the dialog opened (the runtime's clock).
    var openedAt: Date
    /// `y` was pressed: Enter now confirms.
    var armed = false

    init(action: OperatorAction, title: String, lines: [String], openedAt: Date) {
        self.options = [Option(label: action.verb, action: action)]
        self.title = title
        self.lines = lines
        self.openedAt = openedAt
    }

    init(options: [Option], title: String, lines: [String], openedAt: Date) {
        self.options = options
        self.title = title
        self.lines = lines
        self.openedAt = openedAt
    }

    /// The action Enter performs.
    var action: OperatorAction { options[min(selected, options.count - 1)].action }

    /// Whether keys count yet at `now`.
    func acceptsKeys(at now: Date) -> Bool { now.timeIntervalSince(openedAt) >= Self.armDelay }
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

/// `B` on an endpoint: first the time to recover since, then its name typed to confirm.
struct RecoverPrompt: Sendable, Hashable {
    var endpointID: String
    var tenantID: TenantID
    var name: String
    /// The time as typed (`1h` at first).
    var sinceText = "1h"
    /// The time once accepted; the name is asked for next.
    var since: Date?
    var typedName = ""
    var error: String?
}

/// The first start's admin key: dropped from the state once dismissed.
struct AdminKeyPanel: Sendable, Hashable {
    var key: String
    /// The 0600 file it was also written to.
    var file: String?
}

/// A secret shown once; it is dropped from the state when the modal closes.
struct SecretReveal: Sendable, Hashable {
    var endpointName: String
    var endpointID: String
    var secret: Secret
    var graceNote: String
}
