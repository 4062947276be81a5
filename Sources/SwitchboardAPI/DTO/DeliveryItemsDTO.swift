/// `{"items": [delivery]}`: the deliveries an operation changed, or one endpoint's queue.
struct DeliveryItemsDTO: Encodable {
    var items: [DeliveryDTO]
}
