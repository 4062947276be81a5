import Foundation
import Hummingbird
import Logging
import SwitchboardCore

/// What a remote console shows about the server: `GET /v1/server` (any valid key),
/// `GET /v1/gauges` and `GET /v1/endpoints/health` (`read`), `GET /v1/logs` (`admin`).
struct ServerRoutes {
    let switchboard: Switchboard
    let options: APIOptions

    /// Most lines `GET /v1/logs` returns.
    static let maxLogLines = 2000

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.get("server") { _, context in
            guard let key = context.apiKey else { throw APIError.unauthorized }
            return JSONCoding.response(.ok, ServerDTO(
                version: options.version, startedAt: options.startedAt, dispatching: options.dispatching,
                scopes: APIKey.Scope.allCases.filter(key.allows).map(\.rawValue), tenant: key.tenantID))
        }
        group.get("gauges") { _, context in
            _ = try context.require(.read)
            return JSONCoding.response(.ok, GaugesDTO(try await switchboard.gauges()))
        }
        group.get("endpoints/health") { _, context in
            let key = try context.require(.read)
            let endpoints = try await switchboard.endpoints(tenant: key.tenantID)
            let snapshot = switchboard.health.snapshot()
            let items = endpoints.compactMap { endpoint in
                snapshot[endpoint.id].map { EndpointHealthListDTO.Item(endpointID: endpoint.id, $0) }
            }
            return JSONCoding.response(.ok, EndpointHealthListDTO(items: items))
        }
        group.get("logs") { request, context in
            _ = try context.require(.admin)
            let query = request.uri.queryParameters
            var limit = 200
            if let raw = query.get("limit") {
                guard let value = Int(raw), (1...Self.maxLogLines).contains(value) else {
                    throw APIError.badParameter("limit", "must be an integer between 1 and \(Self.maxLogLines)")
                }
                limit = value
            }
            var minLevel = Logger.Level.trace
            if let raw = query.get("min_level") {
                guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                    throw APIError.badParameter("min_level", "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                minLevel = level
            }
            var order = LogRing.Order.severity
            if let raw = query.get("order") {
                guard let parsed = LogRing.Order(rawValue: raw.lowercased()) else {
                    throw APIError.badParameter("order", "must be severity (warnings and errors first) or newest")
                }
                order = parsed
            }
            let lines = switchboard.logRing?.entries(limit: limit, minLevel: minLevel, order: order) ?? []
            return JSONCoding.response(.ok, LogListDTO(items: lines.map(LogListDTO.Item.init)))
        }
    }
}
