import SwitchboardCore

/// `GET /v1/deliveries`: failed and retrying deliveries, newest first. `total` is the number
/// of items returned.
struct FailedDeliveryListDTO: Encodable {
    /// One failed or retrying delivery with its event type and endpoint URL.
    struct Item: Encodable {
        var delivery: DeliveryDTO
        var eventType: String
        /// `null` when the endpoint was deleted.
        var endpointUrl: String?

        init(_ failed: FailedDelivery) {
            delivery = DeliveryDTO(failed.delivery)
            eventType = failed.eventType
            endpointUrl = failed.endpointURL
        }

        enum CodingKeys: String, CodingKey { case delivery, eventType, endpointUrl }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(delivery, forKey: .delivery)
            try container.encode(eventType, forKey: .eventType)
            try container.encode(endpointUrl, forKey: .endpointUrl)
        }
    }

    var items: [Item]
    var total: Int
}
