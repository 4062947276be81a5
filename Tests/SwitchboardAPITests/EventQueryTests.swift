import Foundation
import HTTPTypes
import SwitchboardCore
import Testing

@Suite("Listing, reading and replaying events")
struct EventQueryTests {
    @Test("the list pages newest first with total, limit and offset")
    func pagination() async throws {
        try await APIHarness.with { api in
            var ids: [String] = []
            for index in 0..<5 {
                ids.append(try #require(try await api.publish(payload: #"{"n":\#(index)}"#)["id"]?.string))
            }
            let first = try await api.get("/v1/events?limit=2").json()
            #expect(first["total"]?.int == 5)
            #expect(first["limit"]?.int == 2)
            #expect(first["offset"]?.int == 0)
            #expect(first["events"]?.array?.compactMap { $0["id"]?.string } == [ids[4], ids[3]])
            let last = try await api.get("/v1/events?limit=2&offset=4").json()
            #expect(last["events"]?.array?.compactMap { $0["id"]?.string } == [ids[0]])
            let defaults = try await api.get("/v1/events").json()
            #expect(defaults["limit"]?.int == 50)
            #expect(defaults["events"]?.array?.count == 5)
        }
    }

    @Test("filters: event_type (exact and prefix.*), status and endpoint_id")
    func filters() async throws {
        try await APIHarness.with { api in
            let orders = try #require(try await api.createEndpoint(name: "orders", eventTypes: ["order.*"])["id"]?.string)
            try await api.createEndpoint(name: "invoices", eventTypes: ["invoice.*"])
            let created = try #require(try await api.publish("order.created")["id"]?.string)
            let updated = try await api.publish("order.updated")
            let paid = try #require(try await api.publish("invoice.paid")["id"]?.string)
            try await api.recordAttempt(deliveryID: try #require(updated["delivery_ids"]?[0]?.string), statusCode: 200)

            func ids(_ query: String) async throws -> Set<String> {
                let response = try await api.get("/v1/events?\(query)")
                #expect(response.status == .ok, "\(query)")
                return Set(try response.json()["events"]?.array?.compactMap { $0["id"]?.string } ?? [])
            }
            #expect(try await ids("event_type=order.created") == [created])
            #expect(try await ids("event_type=invoice.*") == [paid])
            #expect(try await ids("status=DELIVERED") == [try #require(updated["id"]?.string)])
            #expect(try await ids("status=QUEUED") == [created, paid])
            #expect(try await ids("endpoint_id=\(orders)&status=QUEUED") == [created])
            #expect(try await ids("endpoint_id=ep_unknown").isEmpty)
        }
    }

    @Test(
        "bad query values are 422 naming the parameter",
        arguments: [
            ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"),
            ("status=LOST", "status"), ("event_type=has%20space", "event_type"), ("event_type=*", "event_type"),
        ])
    func badQuery(query: String, parameter: String) async throws {
        try await APIHarness.with { api in
            let response = try await api.get("/v1/events?\(query)")
            #expect(response.status == .unprocessableContent)
            #expect(response.errorMessage?.hasPrefix("\(parameter):") == true, "\(response.errorMessage ?? "")")
        }
    }

    @Test("an event reads with its payload as JSON, its deliveries and each delivery's attempts")
    func detail() async throws {
        try await APIHarness.with { api in
            let endpointID = try #require(try await api.createEndpoint()["id"]?.string)
            let published = try await api.publish(payload: #"{"order_id":"ord_1","total":149.5}"#, idempotencyKey: "ord_1")
            let eventID = try #require(published["id"]?.string)
            let deliveryID = try #require(published["delivery_ids"]?[0]?.string)
            try await api.recordAttempt(deliveryID: deliveryID, statusCode: 503, final: false)

            let response = try await api.get("/v1/events/\(eventID)")
            #expect(response.status == .ok)
            let event = try response.json()
            #expect(event["id"]?.string == eventID)
            #expect(event["event_type"]?.string == "order.created")
            #expect(event["status"]?.string == "QUEUED")
            #expect(event["payload"] == .object(["order_id": .string("ord_1"), "total": .number(149.5)]))
            #expect(event["origin"]?.string == "api")
            #expect(event["replay_of"] == .null)
            #expect(event["idempotency_key"]?.string == "ord_1")
            #expect(event["created_at"]?.string.flatMap(Timestamp.parse) != nil)

            let delivery = try #require(event["deliveries"]?[0])
            #expect(delivery["id"]?.string == deliveryID)
            #expect(delivery["endpoint_id"]?.string == endpointID)
            #expect(delivery["event_id"]?.string == eventID)
            #expect(delivery["state"]?.string == "scheduled")
            #expect(delivery["attempt_count"]?.int == 1)
            #expect(delivery["last_status_code"]?.int == 503)
            #expect(delivery["next_attempt_at"]?.string != nil)

            let attempt = try #require(delivery["attempts"]?[0])
            #expect(attempt["number"]?.int == 1)
            #expect(attempt["status_code"]?.int == 503)
            #expect(attempt["error"] == .null)
            #expect(attempt["response_body"]?.string == "boom")
            #expect(attempt["duration_ms"]?.int == 12)
            #expect(attempt["url"]?.string == "https://receiver.example/hooks")
            #expect(attempt["request_headers"]?["webhook-id"]?.string == eventID)
            #expect(attempt["next_retry_at"]?.string != nil)
            #expect(attempt.keys.isSuperset(of: ["id", "error_message", "created_at"]))
        }
    }

    @Test("an unknown event id is 404 with the JSON error")
    func unknownEvent() async throws {
        try await APIHarness.with { api in
            let response = try await api.get("/v1/events/evt_nope")
            #expect(response.status == .notFound)
            #expect(response.errorCode == "event_not_found")
        }
    }

    @Test("replay creates a new event pointing back, marks the original REPLAYED and answers 202")
    func replay() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint(name: "a")
            try await api.createEndpoint(name: "b")
            let original = try #require(try await api.publish()["id"]?.string)
            let response = try await api.post("/v1/events/\(original)/replay")
            #expect(response.status == .accepted)
            let replay = try response.json()
            let replayID = try #require(replay["id"]?.string)
            #expect(replayID != original)
            #expect(replay["replay_of"]?.string == original)
            #expect(replay["status"]?.string == "QUEUED")
            #expect(replay["count"]?.int == 2)
            #expect(replay["delivery_ids"]?.array?.count == 2)

            #expect(try await api.get("/v1/events/\(original)").json()["status"]?.string == "REPLAYED")
            let copy = try await api.get("/v1/events/\(replayID)").json()
            #expect(copy["origin"]?.string == "replay")
            #expect(copy["replay_of"]?.string == original)
            #expect(copy["payload"] == .object(["order_id": .string("ord_1")]))
        }
    }

    @Test("replay with endpoint_ids fans out only to those endpoints")
    func partialReplay() async throws {
        try await APIHarness.with { api in
            let first = try #require(try await api.createEndpoint(name: "a")["id"]?.string)
            try await api.createEndpoint(name: "b")
            let original = try #require(try await api.publish()["id"]?.string)
            let response = try await api.post("/v1/events/\(original)/replay", #"{"endpoint_ids":["\#(first)"]}"#)
            #expect(response.status == .accepted)
            let replay = try response.json()
            #expect(replay["count"]?.int == 1)
            let deliveryID = try #require(replay["delivery_ids"]?[0]?.string)
            #expect(try await api.get("/v1/deliveries/\(deliveryID)").json()["endpoint_id"]?.string == first)
        }
    }

    @Test("replay to an unknown (or another tenant's) endpoint id is 422 naming endpoint_ids; nothing is replayed")
    func replayUnknownEndpoint() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            let foreign = try #require(try await api.createEndpoint(name: "theirs", key: api.keys.otherTenant)["id"]?.string)
            let original = try #require(try await api.publish()["id"]?.string)
            for ids in [#"["ep_missing"]"#, #"["\#(foreign)"]"#, "[]", #""ep_x""#] {
                let response = try await api.post("/v1/events/\(original)/replay", #"{"endpoint_ids":\#(ids)}"#)
                #expect(response.status == .unprocessableContent, "\(ids)")
                #expect(response.errorMessage?.hasPrefix("endpoint_ids:") == true)
            }
            #expect(try await api.get("/v1/events/\(original)").json()["status"]?.string == "QUEUED")
            #expect(try await api.get("/v1/events").json()["total"]?.int == 1)
        }
    }
}
