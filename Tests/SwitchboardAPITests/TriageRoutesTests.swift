import Foundation
import HTTPTypes
import Logging
import SwitchboardAPI
import SwitchboardCore
import Testing

@Suite("Search, failures, queue, lookup, retry-failed, server info and logs routes")
struct TriageRoutesTests {
    /// Two endpoints and two events fanned out to both; the first event's delivery to `a`
    /// failed for good, the second's to `b` is retrying. Returns ids.
    static func seed(_ api: APIHarness) async throws -> (a: String, b: String, failed: String, retrying: String, failedDelivery: String, retryingDelivery: String) {
        let a = try #require(try await api.createEndpoint(url: "https://a.example/hooks", name: "a")["id"]?.string)
        let b = try #require(try await api.createEndpoint(url: "https://b.example/hooks", name: "b")["id"]?.string)
        let first = try await api.publish("order.paid")
        let second = try await api.publish("invoice.created")
        let firstDeliveries = try #require(first["delivery_ids"]?.array?.compactMap { $0.string })
        let secondDeliveries = try #require(second["delivery_ids"]?.array?.compactMap { $0.string })
        var failedDelivery = ""
        for id in firstDeliveries where try await api.switchboard.delivery(id: id, tenant: .defaultTenant).endpointID == a {
            try await api.recordAttempt(deliveryID: id, statusCode: 500, final: true)
            failedDelivery = id
        }
        var retryingDelivery = ""
        for id in secondDeliveries where try await api.switchboard.delivery(id: id, tenant: .defaultTenant).endpointID == b {
            try await api.recordAttempt(deliveryID: id, statusCode: 503, final: false)
            retryingDelivery = id
        }
        return (a, b, try #require(first["id"]?.string), try #require(second["id"]?.string), failedDelivery, retryingDelivery)
    }

    @Test("GET /v1/events searches in the store: delivery_status, since, until and q")
    func eventSearch() async throws {
        try await APIHarness.with { api in
            let seeded = try await Self.seed(api)
            func ids(_ query: String) async throws -> [String] {
                let response = try await api.get("/v1/events?" + query)
                #expect(response.status == .ok, "\(query): \(response.body)")
                let json = try response.json()
                let ids = json["events"]?.array?.compactMap { $0["id"]?.string } ?? []
                #expect(json["total"]?.int == ids.count)
                return ids
            }
            #expect(try await ids("delivery_status=failed") == [seeded.failed])
            #expect(try await ids("delivery_status=retrying") == [seeded.retrying])
            #expect(try await ids("delivery_status=queued") == [seeded.retrying, seeded.failed])
            #expect(try await ids("q=ORDER%20paid") == [seeded.failed])
            #expect(try await ids("q=\(seeded.retrying.suffix(10).lowercased())") == [seeded.retrying])
            #expect(try await ids("since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z").count == 2)
            #expect(try await ids("since=2999-01-01T00:00:00Z").isEmpty)

            for (query, name) in [
                ("delivery_status=broken", "delivery_status"), ("since=yesterday", "since"), ("until=2026-13-01T00:00:00Z", "until"),
                ("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "since"),
                ("q=" + String(repeating: "x", count: 201), "q"), ("q=a%20b%20c%20d%20e%20f%20g%20h%20i", "q"),
            ] {
                let response = try await api.get("/v1/events?" + query)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorCode == "invalid_parameter")
                #expect(response.errorMessage?.hasPrefix(name + ":") == true, "\(response.errorMessage ?? "")")
            }
        }
    }

    @Test("GET /v1/deliveries lists failed and retrying deliveries with event type and endpoint URL")
    func failures() async throws {
        try await APIHarness.with { api in
            let seeded = try await Self.seed(api)
            let json = try await api.get("/v1/deliveries?state=failed,retrying&limit=10").json()
            let items = try #require(json["items"]?.array)
            #expect(json["total"]?.int == 2)
            #expect(Set(items.compactMap { $0["delivery"]?["id"]?.string }) == [seeded.failedDelivery, seeded.retryingDelivery])
            let failed = try #require(items.first { $0["delivery"]?["id"]?.string == seeded.failedDelivery })
            #expect(failed["event_type"]?.string == "order.paid")
            #expect(failed["endpoint_url"]?.string == "https://a.example/hooks")
            #expect(failed["delivery"]?["state"]?.string == "failed")
            #expect(failed["delivery"]?["last_status_code"]?.int == 500)

            let onlyRetrying = try await api.get("/v1/deliveries?state=retrying").json()
            #expect(onlyRetrying["items"]?.array?.compactMap { $0["delivery"]?["id"]?.string } == [seeded.retryingDelivery])
            #expect(try await api.get("/v1/deliveries").json()["total"]?.int == 2)
            #expect(try await api.get("/v1/deliveries", key: api.keys.otherTenant).json()["total"]?.int == 0)
            for query in ["state=pending", "state=", "limit=0", "limit=501", "limit=x"] {
                let response = try await api.get("/v1/deliveries?" + query)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorCode == "invalid_parameter")
            }
        }
    }

    @Test("GET /v1/queue/summary counts per endpoint; GET /v1/queue lists one endpoint's queue soonest first")
    func queue() async throws {
        try await APIHarness.with { api in
            let seeded = try await Self.seed(api)
            let summary = try #require(try await api.get("/v1/queue/summary").json()["items"]?.array)
            let a = try #require(summary.first { $0["endpoint_id"]?.string == seeded.a })
            #expect(a["waiting"]?.int == 1 && a["paused"]?.int == 0 && a["scheduled"]?.int == 0)
            #expect(a["url"]?.string == "https://a.example/hooks" && a["next_due"]?.string != nil)
            let b = try #require(summary.first { $0["endpoint_id"]?.string == seeded.b })
            #expect(b["waiting"]?.int == 1 && b["scheduled"]?.int == 1)
            #expect(try await api.get("/v1/queue/summary", key: api.keys.otherTenant).json()["items"]?.array?.isEmpty == true)

            let queue = try #require(try await api.get("/v1/queue?endpoint_id=\(seeded.b)&limit=10").json()["items"]?.array)
            #expect(queue.count == 2)
            #expect(queue.last?["id"]?.string == seeded.retryingDelivery)
            #expect(queue.allSatisfy { $0["endpoint_id"]?.string == seeded.b })
            let missing = try await api.get("/v1/queue")
            #expect(missing.status == .badRequest && missing.errorMessage?.hasPrefix("endpoint_id:") == true)
            #expect(try await api.get("/v1/queue?endpoint_id=\(seeded.b)&limit=0").status == .badRequest)
        }
    }

    @Test("GET /v1/lookup/{id} names any id's kind and owners; 404 when absent or another tenant's")
    func lookup() async throws {
        try await APIHarness.with { api in
            let seeded = try await Self.seed(api)
            let delivery = try await api.get("/v1/lookup/\(seeded.failedDelivery)").json()
            #expect(delivery["kind"]?.string == "delivery")
            #expect(delivery["event_id"]?.string == seeded.failed)
            #expect(delivery["endpoint_id"]?.string == seeded.a)
            #expect(delivery["delivery_id"]?.string == seeded.failedDelivery)
            let attempts = try await api.switchboard.attempts(deliveryID: seeded.failedDelivery, tenant: .defaultTenant)
            let attemptID = try #require(attempts.first?.id)
            let attempt = try await api.get("/v1/lookup/\(attemptID)").json()
            #expect(attempt["kind"]?.string == "attempt" && attempt["delivery_id"]?.string == seeded.failedDelivery)
            let event = try await api.get("/v1/lookup/\(seeded.failed)").json()
            #expect(event["kind"]?.string == "event" && event["endpoint_id"] == .null && event["event_id"]?.string == seeded.failed)
            #expect(try await api.get("/v1/lookup/\(seeded.a)").json()["kind"]?.string == "endpoint")
            let absent = try await api.get("/v1/lookup/evt_00000000000000000000000000")
            #expect(absent.status == .notFound && absent.errorCode == "not_found")
            #expect(try await api.get("/v1/lookup/\(seeded.failed)", key: api.keys.otherTenant).status == .notFound)
        }
    }

    @Test("POST /v1/events/{id}/retry-failed requeues only the failed deliveries, to enabled endpoints")
    func retryFailed() async throws {
        try await APIHarness.with { api in
            let seeded = try await Self.seed(api)
            let response = try await api.post("/v1/events/\(seeded.failed)/retry-failed")
            #expect(response.status == .accepted, "\(response.body)")
            let items = try #require(try response.json()["items"]?.array)
            #expect(items.compactMap { $0["id"]?.string } == [seeded.failedDelivery])
            #expect(items.first?["state"]?.string == "pending")
            let again = try await api.post("/v1/events/\(seeded.failed)/retry-failed")
            #expect(try again.json()["items"]?.array?.isEmpty == true)
            #expect(try await api.post("/v1/events/evt_00000000000000000000000000/retry-failed").status == .notFound)
            #expect(try await api.post("/v1/events/\(seeded.failed)/retry-failed", key: api.keys.reader).status == .forbidden)
        }
    }

    @Test("GET /v1/server, /v1/gauges and /v1/endpoints/health for a remote console")
    func serverInfo() async throws {
        let started = Date(timeIntervalSince1970: 1_800_000_000)
        try await APIHarness.with(options: APIOptions(version: "9.8.7", startedAt: started, dispatching: false)) { api in
            let seeded = try await Self.seed(api)
            let server = try await api.get("/v1/server", key: api.keys.writer).json()
            #expect(server["version"]?.string == "9.8.7")
            #expect(server["started_at"]?.string == Timestamp.string(started))
            #expect(server["dispatching"]?.bool == false)
            #expect(server["scopes"]?.array?.compactMap { $0.string } == ["read", "write"])
            #expect(try await api.get("/v1/server", key: "sbk_nope").status == .unauthorized)

            let gauges = try await api.get("/v1/gauges").json()
            #expect(gauges["queue_depth"]?.int == 3)
            #expect(gauges.keys == ["queue_depth", "paused_deliveries", "in_flight_deliveries", "enabled_endpoints", "failing_endpoints", "disabled_endpoints"])

            let attempts = try await api.switchboard.attempts(deliveryID: seeded.failedDelivery, tenant: .defaultTenant)
            api.switchboard.health.attemptStarted(endpointID: seeded.a)
            api.switchboard.health.attemptFinished(endpointID: seeded.a, attempt: attempts.first)
            let health = try await api.get("/v1/endpoints/health")
            #expect(health.status == .ok, "\(health.body)")
            let items = try #require(try health.json()["items"]?.array)
            #expect(items.count == 1)
            #expect(items.first?["endpoint_id"]?.string == seeded.a)
            #expect(items.first?["recent_attempts"]?.int == 1 && items.first?["last_outcome"]?.string == "500")
            #expect(try await api.get("/v1/endpoints/health", key: api.keys.otherTenant).json()["items"]?.array?.isEmpty == true)
        }
    }

    @Test("GET /v1/logs (admin) serves the ring, warnings and errors first, or newest first")
    func logs() async throws {
        let ring = LogRing(capacity: 3)
        let handler = RingLogHandler(label: "switchboard.test", ring: ring, forwardingTo: DiscardingLogHandler())
        var logger = Logger(label: "switchboard.test") { _ in handler }
        logger.logLevel = .trace
        logger.info("first", metadata: ["event": "evt_1"])
        logger.error("broken")
        logger.debug("second")
        logger.notice("third")
        try await APIHarness.with(logRing: ring) { api in
            let json = try await api.get("/v1/logs", key: api.keys.admin).json()
            let lines = try #require(json["items"]?.array)
            #expect(lines.compactMap { $0["message"]?.string } == ["broken", "third", "second"])
            #expect(lines.first?["level"]?.string == "error" && lines.first?["label"]?.string == "switchboard.test")
            #expect(lines.first?["time"]?.string != nil)
            let newest = try await api.get("/v1/logs?order=newest&limit=2", key: api.keys.admin).json()
            #expect(newest["items"]?.array?.compactMap { $0["message"]?.string } == ["third", "second"])
            let notice = try await api.get("/v1/logs?min_level=notice", key: api.keys.admin).json()
            #expect(notice["items"]?.array?.compactMap { $0["message"]?.string } == ["broken", "third"])
            #expect(try await api.get("/v1/logs", key: api.keys.writer).status == .forbidden)
            for query in ["limit=0", "min_level=loud", "order=oldest"] {
                let response = try await api.get("/v1/logs?" + query, key: api.keys.admin)
                #expect(response.status == .badRequest && response.errorCode == "invalid_parameter", "\(query)")
            }
        }
    }
}

/// A handler that keeps its level and metadata and drops every line: the ring's upstream in tests.
private struct DiscardingLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {}
}
