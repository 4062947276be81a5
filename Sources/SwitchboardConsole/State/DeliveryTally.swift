import SwitchboardCore

/// The states of one event's deliveries: what "ok/total" in the events pane counts.
struct DeliveryTally: Sendable, Hashable {
    /// State of each delivery, by delivery id.
    var states: [String: Delivery.State]

    init(_ deliveries: [Delivery]) {
        states = Dictionary(deliveries.map { ($0.id, $0.state) }, uniquingKeysWith: { _, last in last })
    }

    var total: Int { states.count }
    var succeeded: Int { states.values.filter { $0 == .succeeded }.count }
    var failed: Int { states.values.filter { $0 == .failed }.count }
}
