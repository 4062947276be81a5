import Foundation

/// Something that changed in the dispatcher, as seen by the console and `/v1/stream`.
public enum Change: Sendable, Hashable {
    /// An event was accepted and its deliveries created. An event with origin `source` is also
    /// one more received by its source (``Source/eventsReceived``).
    case eventPublished(Event, deliveries: [Delivery])
    /// An attempt finished; `delivery` is the delivery's state after it.
    case attemptRecorded(Attempt, delivery: Delivery.State)
    /// A delivery moved to another state without an attempt (paused, resumed, requeued, cancelled).
    case deliveryStateChanged(Delivery)
    /// An event's derived status changed.
    case eventStatusChanged(EventStatusChange)
    /// An endpoint was created, updated, enabled, disabled or had its secret rotated.
    case endpointChanged(Endpoint)
    case endpointDeleted(id: String, tenantID: TenantID)
    /// A source was created, updated, rotated or refused a request.
    case sourceChanged(Source)
    case sourceDeleted(id: String, tenantID: TenantID)

    /// The tenant the change belongs to.
    public var tenantID: TenantID {
        switch self {
        case .eventPublished(let event, _): event.tenantID
        case .attemptRecorded(let attempt, _): attempt.tenantID
        case .deliveryStateChanged(let delivery): delivery.tenantID
        case .eventStatusChanged(let change): change.tenantID
        case .endpointChanged(let endpoint): endpoint.tenantID
        case .endpointDeleted(_, let tenantID): tenantID
        case .sourceChanged(let source): source.tenantID
        case .sourceDeleted(_, let tenantID): tenantID
        }
    }
}
