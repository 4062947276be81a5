import Foundation

/// `GET /v1/server`: who answers, since when, whether it dispatches, and what the key may do.
struct ServerDTO: Encodable {
    var version: String
    var startedAt: Date
    var dispatching: Bool
    /// Every scope the presented key allows (`write` allows `read` too), lowest first.
    var scopes: [String]
    /// The key's tenant.
    var tenant: String
}
