/// Where a whole id lives: what it names, in which tenant, and the rows it belongs to.
public struct LocatedID: Sendable, Hashable {
    /// What an id names.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case event, delivery, attempt, endpoint, source
    }

    public var kind: Kind
    public var id: String
    public var tenantID: TenantID
    /// The event: the id itself for an event, the delivery's or attempt's event otherwise; `nil` for endpoints and sources.
    public var eventID: String?
    /// The endpoint: the id itself for an endpoint, the delivery's or attempt's endpoint; `nil` for events and sources.
    public var endpointID: String?
    /// The delivery: the id itself for a delivery, the attempt's delivery; `nil` otherwise.
    public var deliveryID: String?

    public init(kind: Kind, id: String, tenantID: TenantID, eventID: String? = nil, endpointID: String? = nil, deliveryID: String? = nil) {
        self.kind = kind
        self.id = id
        self.tenantID = tenantID
        self.eventID = eventID
        self.endpointID = endpointID
        self.deliveryID = deliveryID
    }
}
