import Foundation
import Hummingbird
import SwitchboardCore

/// What an operator (or a remote console) needs in an incident, run in the store: failed and
/// retrying deliveries, the retry queue per endpoint and one endpoint's queue, and the lookup
/// of any whole id. All need `read`; bad parameters are 400 `invalid_parameter`.
struct TriageRoutes {
    let switchboard: Switchboard

    /// The `state` words `GET /v1/deliveries` accepts.
    static let failureStates: Set<String> = ["failed", "retrying"]

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.get("deliveries") { request, context in try await failures(request, context) }
        group.get("queue/summary") { _, context in
            let key = try context.require(.read)
            let groups = try await switchboard.queueSummary(tenant: key.tenantID)
            return JSONCoding.response(.ok, QueueSummaryDTO(items: groups.map(QueueSummaryDTO.Item.init)))
        }
        group.get("queue") { request, context in
            let key = try context.require(.read)
            guard let endpointID = request.uri.queryParameters.get("endpoint_id") else {
                throw APIError.badParameter("endpoint_id", "is required (the endpoint whose queue to list)")
            }
            guard !endpointID.isEmpty, endpointID.count <= 160 else {
                throw APIError.badParameter("endpoint_id", "must be an endpoint id (1–160 characters)")
            }
            let limit = try Self.limit(request, default: 100)
            let deliveries = try await switchboard.queuedDeliveries(endpointID: endpointID, tenant: key.tenantID, limit: limit)
            return JSONCoding.response(.ok, DeliveryItemsDTO(items: deliveries.map { DeliveryDTO($0) }))
        }
        group.get("lookup/:id") { _, context in
            let key = try context.require(.read)
            let id = try context.id
            guard id.count <= 160 else { throw APIError.badParameter("id", "must be an id of at most 160 characters") }
            return JSONCoding.response(.ok, LocatedIDDTO(try await switchboard.locate(id: id, tenant: key.tenantID)))
        }
    }

    /// `GET /v1/deliveries?state=failed,retrying&limit=`: deliveries failed for good and/or
    /// retrying after a failure, newest update first. `state` defaults to both; with one word,
    /// the other kind is left out of the newest `limit` (so fewer may come back).
    private func failures(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.read)
        var states = Self.failureStates
        if let raw = request.uri.queryParameters.get("state") {
            let words = Set(raw.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            guard !words.isEmpty, words.isSubset(of: Self.failureStates) else {
                throw APIError.badParameter("state", "must be failed, retrying or failed,retrying")
            }
            states = words
        }
        let limit = try Self.limit(request, default: 100)
        let rows = try await switchboard.failedDeliveries(tenant: key.tenantID, limit: limit).filter { row in
            states.contains(row.delivery.state == .failed ? "failed" : "retrying")
        }
        return JSONCoding.response(.ok, FailedDeliveryListDTO(items: rows.map(FailedDeliveryListDTO.Item.init), total: rows.count))
    }

    /// `limit`, 1…``Switchboard/maxTriageLimit``.
    static func limit(_ request: Request, default fallback: Int) throws -> Int {
        guard let raw = request.uri.queryParameters.get("limit") else { return fallback }
        guard let value = Int(raw), (1...Switchboard.maxTriageLimit).contains(value) else {
            throw APIError.badParameter("limit", "must be an integer between 1 and \(Switchboard.maxTriageLimit)")
        }
        return value
    }
}
