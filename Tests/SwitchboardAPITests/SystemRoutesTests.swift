import Foundation
import HTTPTypes
import Prometheus
import SwitchboardAPI
import SwitchboardCore
import SwitchboardSQLite
import Testing

@Suite("Usage, health, metrics, OpenAPI and routing")
struct SystemRoutesTests {
    @Test("usage counts this month's events, deliveries and attempts of the caller's tenant")
    func usage() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            let deliveryID = try #require(try await api.publish()["delivery_ids"]?[0]?.string)
            try await api.publish()
            try await api.publish(key: api.keys.otherTenant)
            try await api.recordAttempt(deliveryID: deliveryID, statusCode: 500, final: false)
            try await api.recordAttempt(deliveryID: deliveryID, statusCode: 200)

            let response = try await api.get("/v1/usage/current")
            #expect(response.status == .ok)
            let usage = try response.json()
            #expect(usage["events_published"]?.int == 2)
            #expect(usage["deliveries"]?.int == 2)
            #expect(usage["attempts"]?.int == 2)
            #expect(usage["successes"]?.int == 1)
            #expect(usage["failures"]?.int == 1)
            let start = try #require(usage["period_start"]?.string.flatMap(Timestamp.parse))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            #expect(calendar.component(.day, from: start) == 1)
            #expect(start <= Date())
        }
    }

    @Test("healthz is 200 ok while the store answers")
    func healthy() async throws {
        try await APIHarness.with { api in
            let response = try await api.request(.get, "/healthz", key: nil)
            #expect(response.status == .ok)
            #expect(try response.json() == .object(["status": .string("ok"), "store": .string("ok")]))
        }
    }

    @Test("healthz is 503 with store unavailable when the store fails its check")
    func unhealthy() async throws {
        try await APIHarness.with(wrapStore: { UnhealthyStore(base: $0) }) { api in
            let response = try await api.request(.get, "/healthz", key: nil)
            #expect(response.status == .serviceUnavailable)
            #expect(try response.json()["store"]?.string == "unavailable")
            #expect(!response.body.contains("disk on fire"))
        }
    }

    @Test("metrics renders Prometheus text with the store gauges refreshed on scrape")
    func metrics() async throws {
        try await APIHarness.with { api in
            let endpointID = try #require(try await api.createEndpoint()["id"]?.string)
            try await api.createEndpoint(name: "second")
            try await api.publish()
            _ = try await api.post("/v1/endpoints/\(endpointID)/disable")

            let response = try await api.request(.get, "/metrics", key: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let lines = Set(response.body.split(separator: "\n").map(String.init))
            #expect(lines.contains("switchboard_store_up 1.0"))
            #expect(lines.contains("switchboard_retry_queue_depth 1.0"))
            #expect(lines.contains("switchboard_paused_deliveries 1.0"))
            #expect(lines.contains("switchboard_in_flight_deliveries 0.0"))
            #expect(lines.contains(#"switchboard_endpoints{state="enabled"} 1.0"#))
            #expect(lines.contains(#"switchboard_endpoints{state="disabled"} 1.0"#))
            #expect(lines.contains(#"switchboard_endpoints{state="failing"} 0.0"#))
            #expect(lines.contains("# TYPE switchboard_retry_queue_depth gauge"))
            #expect(!response.body.contains(endpointID))
        }
    }

    @Test("metrics reports the store down instead of failing the scrape")
    func metricsStoreDown() async throws {
        try await APIHarness.with(wrapStore: { UnhealthyStore(base: $0) }) { api in
            let response = try await api.request(.get, "/metrics", key: nil)
            #expect(response.status == .ok)
            #expect(response.body.contains("switchboard_store_up 0.0"))
        }
    }

    @Test("metrics renders the registry it was given, so counters recorded elsewhere appear beside the gauges")
    func metricsUsesGivenRegistry() async throws {
        let telemetry = Telemetry()
        telemetry.registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "switchboard_events_published", unitName: "total", helpText: "events")
        ).increment(by: Int64(3))
        try await APIHarness.with(options: APIOptions(telemetry: telemetry)) { api in
            let body = try await api.request(.get, "/metrics", key: nil).body
            #expect(body.contains("switchboard_events_published_total 3"))
            #expect(body.contains("switchboard_retry_queue_depth"))
        }
    }

    @Test("openapi.yaml is served without a key and is the repository's openapi.yaml")
    func openAPIServed() async throws {
        try await APIHarness.with { api in
            let response = try await api.request(.get, "/openapi.yaml", key: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            #expect(response.body.hasPrefix("openapi: 3.1"))
            let file = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
            #expect(response.body == file, "the embedded copy is stale: run scripts/embed-openapi.sh")
        }
    }

    @Test("every route the router serves is described in openapi.yaml, with its method")
    func openAPICoversRoutes() throws {
        let document = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let described = OpenAPIOutline(document)
        let router = buildRouter(switchboard: try Self.offlineSwitchboard(), options: APIOptions())
        for route in router.routes {
            let path = "/" + route.path.map { element in
                let text = element.description
                return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
            }.joined(separator: "/")
            #expect(described.operations[path]?.contains(route.method.rawValue.lowercased()) == true, "\(route.method) \(path)")
        }
        #expect(described.operations.values.map(\.count).reduce(0, +) == router.routes.count)
    }

    @Test("an unknown route is a JSON 404; a known path with another method is 405 with Allow")
    func routing() async throws {
        try await APIHarness.with { api in
            let missing = try await api.request(.get, "/v2/nothing", key: nil)
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            let wrongMethod = try await api.request(.put, "/v1/endpoints", key: api.keys.admin, body: "{}")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.errorCode == "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "GET, POST")
            let onID = try await api.request(.post, "/v1/endpoints/ep_1", key: api.keys.admin)
            #expect(onID.headers[.allow] == "DELETE, GET, PATCH")
            #expect(try await api.request(.delete, "/healthz", key: nil).status == .methodNotAllowed)
        }
    }

    /// The package root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A switchboard over a store that is never queried, for inspecting the router.
    static func offlineSwitchboard() throws -> Switchboard {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-routes-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path, logger: APIHarness.quietLogger)
        return Switchboard(store: store, logger: APIHarness.quietLogger)
    }
}

/// The paths and methods of an OpenAPI YAML document, read from its indentation.
struct OpenAPIOutline {
    var operations: [String: Set<String>] = [:]

    init(_ yaml: String) {
        var inPaths = false
        var currentPath: String?
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if let first = line.first, first != " ", first != "#" { break }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())
                operations[currentPath!, default: []] = []
            } else if let currentPath, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let key = String(line.dropFirst(4).dropLast())
                if methods.contains(key) { operations[currentPath, default: []].insert(key) }
            }
        }
    }
}
