import SwitchboardCore

/// `GET /v1/lookup/{id}`: what an id names and the rows it belongs to (`null` where none applies).
struct LocatedIDDTO: Encodable {
    var kind: String
    var id: String
    var eventId: String?
    var endpointId: String?
    var deliveryId: String?

    init(_ located: LocatedID) {
        kind = located.kind.rawValue
        id = located.id
        eventId = located.eventID
        endpointId = located.endpointID
        deliveryId = located.deliveryID
    }

    enum CodingKeys: String, CodingKey { case kind, id, eventId, endpointId, deliveryId }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(id, forKey: .id)
        try container.encode(eventId, forKey: .eventId)
        try container.encode(endpointId, forKey: .endpointId)
        try container.encode(deliveryId, forKey: .deliveryId)
    }
}
