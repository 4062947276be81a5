import SwitchboardCore

/// How an endpoint is doing, as the endpoints pane shows it (glyph and word).
enum EndpointStatus: Sendable, Hashable {
    /// Enabled and not failing.
    case active
    /// Enabled, but attempts fail with no success since ``Endpoint/failingSince``.
    case failing
    /// Disabled by an operator, a 410 Gone or auto-disable; its deliveries are paused.
    case disabled

    init(_ endpoint: Endpoint) {
        if !endpoint.enabled {
            self = .disabled
        } else if endpoint.failingSince != nil {
            self = .failing
        } else {
            self = .active
        }
    }

    var word: String {
        switch self {
        case .active: "active"
        case .failing: "failing"
        case .disabled: "disabled"
        }
    }
}

/// A row of the attempts pane: a delivery, then its attempts.
enum AttemptsRow: Sendable, Hashable {
    case delivery(Delivery)
    case attempt(Attempt)

    var id: String {
        switch self {
        case .delivery(let delivery): delivery.id
        case .attempt(let attempt): attempt.id
        }
    }

    var deliveryID: String {
        switch self {
        case .delivery(let delivery): delivery.id
        case .attempt(let attempt): attempt.deliveryID
        }
    }
}
