import Foundation
import Hummingbird
import SwitchboardCore

/// `/v1/deliveries`: inspect a delivery and its attempts, retry it now.
struct DeliveryRoutes {
    let switchboard: Switchboard

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.get("deliveries/:id") { _, context in
            let key = try context.require(.read)
            let id = try context.id
            let delivery = try await switchboard.delivery(id: id, tenant: key.tenantID)
            let attempts = try await switchboard.attempts(deliveryID: id, tenant: key.tenantID)
            return JSONCoding.response(.ok, DeliveryDTO(delivery, attempts: attempts))
        }
        group.get("deliveries/:id/attempts") { request, context in
            let key = try context.require(.read)
            let page = try ListPage(try await switchboard.attempts(deliveryID: try context.id, tenant: key.tenantID), request: request) {
                String(format: "%09ld|", $0.number) + $0.id
            }
            return JSONCoding.response(.ok, AttemptListDTO(attempts: page.items.map(AttemptDTO.init), nextCursor: page.nextCursor))
        }
        group.post("deliveries/:id/retry") { _, context in
            let key = try context.require(.write)
            let delivery = try await switchboard.retryDelivery(id: try context.id, tenant: key.tenantID)
            return JSONCoding.response(.accepted, DeliveryDTO(delivery))
        }
    }
}

/// `GET /v1/deliveries/{id}/attempts`, first attempt first.
struct AttemptListDTO: Encodable {
    var attempts: [AttemptDTO]
    /// Pass as `cursor` for the next page; absent on the last one.
    var nextCursor: String?
}
