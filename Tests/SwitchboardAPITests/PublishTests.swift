import Foundation
import HTTPTypes
import SwitchboardCore
import Testing

@Suite("Publishing events")
struct PublishTests {
    @Test("publish answers 202 with the event id, QUEUED and one delivery per subscribed endpoint")
    func publish() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint(name: "orders", eventTypes: ["order.*"])
            try await api.createEndpoint(name: "invoices", eventTypes: ["invoice.paid"])
            let response = try await api.post("/v1/events", #"{"event_type":"order.created","payload":{"order_id":"ord_123","total":149.0}}"#)
            #expect(response.status == .accepted)
            let body = try response.json()
            #expect(body["id"]?.string?.hasPrefix("evt_") == true)
            #expect(body["status"]?.string == "QUEUED")
            #expect(body["delivery_ids"]?.array?.count == 1)
            #expect(body.keys == ["id", "status", "delivery_ids"])
        }
    }

    @Test("the same Idempotency-Key and body returns the original event and creates nothing")
    func idempotentRepeat() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            let first = try await api.publish(payload: #"{"a":1,"b":2}"#, idempotencyKey: "order-123-created")
            // Same request, keys in another order: the canonical payload is the same.
            let repeated = try await api.post(
                "/v1/events", #"{"payload":{"b":2,"a":1},"event_type":"order.created"}"#, headers: [.idempotencyKey: "order-123-created"])
            #expect(repeated.status == .accepted)
            #expect(repeated.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let second = try repeated.json()
            #expect(second["id"] == first["id"])
            #expect(second["delivery_ids"] == first["delivery_ids"])
            #expect(try await api.get("/v1/events").json()["total"]?.int == 1)
        }
    }

    @Test("a repeat reports the event's current status, not QUEUED")
    func idempotentRepeatShowsCurrentStatus() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            let first = try await api.publish(idempotencyKey: "k1")
            try await api.recordAttempt(deliveryID: try #require(first["delivery_ids"]?[0]?.string), statusCode: 200)
            let repeated = try await api.publish(idempotencyKey: "k1")
            #expect(repeated["id"] == first["id"])
            #expect(repeated["status"]?.string == "DELIVERED")
        }
    }

    @Test("the same Idempotency-Key with a different body is 409 and creates nothing")
    func idempotencyConflict() async throws {
        try await APIHarness.with { api in
            try await api.publish(payload: #"{"total":1}"#, idempotencyKey: "k-conflict")
            let conflicting = try await api.post(
                "/v1/events", #"{"event_type":"order.created","payload":{"total":2}}"#, headers: [.idempotencyKey: "k-conflict"])
            #expect(conflicting.status == .conflict)
            #expect(conflicting.errorCode == "idempotency_key_reused")
            let otherType = try await api.post(
                "/v1/events", #"{"event_type":"order.updated","payload":{"total":1}}"#, headers: [.idempotencyKey: "k-conflict"])
            #expect(otherType.status == .conflict)
            #expect(try await api.get("/v1/events").json()["total"]?.int == 1)
        }
    }

    @Test("a body over the configured maximum is 413 and nothing is stored")
    func tooLarge() async throws {
        try await APIHarness.with(configuration: DispatcherConfiguration(maxPayloadBytes: 1024)) { api in
            let big = String(repeating: "x", count: 2048)
            let response = try await api.post("/v1/events", #"{"event_type":"a.b","payload":"\#(big)"}"#)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "payload_too_large")
            let small = try await api.post("/v1/events", #"{"event_type":"a.b","payload":"\#(String(repeating: "x", count: 512))"}"#)
            #expect(small.status == .accepted)
            #expect(try await api.get("/v1/events").json()["total"]?.int == 1)
        }
    }

    @Test("the default maximum is 1 MiB")
    func defaultLimit() async throws {
        try await APIHarness.with { api async throws in
            let big = String(repeating: "x", count: 1 << 20)
            #expect(try await api.post("/v1/events", #"{"event_type":"a.b","payload":"\#(big)"}"#).status == .contentTooLarge)
        }
    }

    @Test("malformed JSON is 400 invalid_json")
    func malformed() async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/events", #"{"event_type":"a.b","payload":{"#)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_json")
        }
    }

    @Test(
        "missing or wrong-typed fields are 422 naming the field",
        arguments: [
            (#"{"payload":{}}"#, "event_type"),
            (#"{"event_type":7,"payload":{}}"#, "event_type"),
            (#"{"event_type":"has space","payload":{}}"#, "event_type"),
            (#"{"event_type":"a.b"}"#, "payload"),
        ])
    func invalidFields(body: String, field: String) async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/events", body)
            #expect(response.status == .unprocessableContent)
            #expect(response.errorMessage?.hasPrefix("\(field):") == true, "\(response.errorMessage ?? "")")
        }
    }

    @Test("any JSON value is a payload, and it is stored exactly as sent")
    func anyPayload() async throws {
        try await APIHarness.with { api in
            for payload in ["[1,2]", #""text""#, "42", "null", #"{"z":1,"a":{"y":2,"b":3}}"#, #"{ "a" : [ 1 , 2.50 ] }"#] {
                let id = try #require(try await api.publish(payload: payload)["id"]?.string)
                let event = try await api.switchboard.event(id: id, tenant: .defaultTenant)
                #expect(JSONValue.parse(event.payload) == JSONValue.parse(Data(payload.utf8)), "\(payload)")
                #expect(event.payload == Data(payload.utf8))
            }
        }
    }

    @Test("an empty Idempotency-Key is 422 naming the header")
    func emptyIdempotencyKey() async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/events", #"{"event_type":"a.b","payload":{}}"#, headers: [.idempotencyKey: ""])
            #expect(response.status == .unprocessableContent)
            #expect(response.errorMessage?.hasPrefix("Idempotency-Key:") == true)
        }
    }
}
