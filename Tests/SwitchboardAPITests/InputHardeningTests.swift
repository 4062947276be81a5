import Foundation
import HTTPTypes
import SwitchboardAPI
import SwitchboardCore
import Testing

@Suite("Input hardening")
struct InputHardeningTests {
    @Test("JSON routes require application/json: text/plain is 415 in the JSON error shape")
    func unsupportedMediaType() async throws {
        try await APIHarness.with { api in
            let body = #"{"url":"https://a.example/h","name":"a"}"#
            for type in ["text/plain", "application/x-www-form-urlencoded"] {
                let response = try await api.post("/v1/endpoints", body, headers: [.contentType: type])
                #expect(response.status == .unsupportedMediaType)
                #expect(response.errorCode == "unsupported_media_type")
            }
            #expect(try await api.post("/v1/endpoints", body, headers: [.contentType: "application/json; charset=utf-8"]).status == .created)
            #expect(try await api.post("/v1/events", #"{"event_type":"a.b","payload":{}}"#, headers: [.contentType: "text/plain"]).status
                == .unsupportedMediaType)
        }
    }

    @Test("integers beyond 2^53 are stored, shown and delivered byte for byte")
    func bigIntegers() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            let payload = #"{"big":12345678901234567890,"neg":-9007199254740993,"list":[12345678901234567890, 1.50]}"#
            let published = try await api.publish(payload: payload)
            let id = try #require(published["id"]?.string)
            let event = try await api.switchboard.event(id: id, tenant: .defaultTenant)
            #expect(event.payload == Data(payload.utf8))
            #expect(String(decoding: WebhookMessage.body(for: event), as: UTF8.self).contains(#""data":\#(payload)"#))
            let detail = try await api.get("/v1/events/\(id)")
            #expect(detail.status == .ok)
            #expect(detail.body.contains(#""payload":\#(payload)"#))
            #expect(try detail.json()["deliveries"]?.array?.count == 1)
            // The same request again with the same Idempotency-Key, reformatted, is a duplicate;
            // one digit different is a conflict, not silently the same number.
            let first = try await api.publish(payload: payload, idempotencyKey: "big-1")
            let again = try await api.post(
                "/v1/events", #"{"payload":{"neg":-9007199254740993,"big":12345678901234567890,"list":[12345678901234567890,1.50]},"event_type":"order.created"}"#,
                headers: [.idempotencyKey: "big-1"])
            #expect(again.status == .accepted)
            #expect(try again.json()["id"] == first["id"])
            let different = try await api.post(
                "/v1/events", #"{"event_type":"order.created","payload":{"big":12345678901234567891,"neg":-9007199254740993,"list":[12345678901234567890, 1.50]}}"#,
                headers: [.idempotencyKey: "big-1"])
            #expect(different.status == .conflict)
        }
    }

    @Test("integer fields beyond 2^53 are a clear 422, not a rounded value")
    func bigIntegerField() async throws {
        try await APIHarness.with { api in
            let response = try await api.post(
                "/v1/endpoints", #"{"url":"https://a.example/h","name":"a","max_concurrency":12345678901234567890}"#)
            #expect(response.status == .unprocessableContent)
            #expect(response.errorMessage?.hasPrefix("max_concurrency:") == true)
        }
    }

    @Test("a chosen id outside the caller's namespace is 422, so another tenant's ids are never revealed")
    func tenantScopedIDs() async throws {
        try await APIHarness.with { api in
            let theirs = try await api.post("/v1/endpoints", #"{"id":"ep_globex.billing","url":"https://a.example/h"}"#, key: api.keys.otherTenant)
            #expect(theirs.status == .created)
            // The same id, and an unused one, from the default tenant get the same answer: neither says "exists".
            let taken = try await api.post("/v1/endpoints", #"{"id":"ep_globex.billing","url":"https://a.example/h"}"#)
            let unused = try await api.post("/v1/endpoints", #"{"id":"ep_globex.unused","url":"https://a.example/h"}"#)
            for response in [taken, unused] {
                #expect(response.status == .unprocessableContent)
                #expect(response.errorCode == "validation_failed")
                #expect(response.errorMessage?.contains("ep_default.") == true)
                #expect(response.errorMessage?.contains("exist") == false)
            }
            #expect(try await api.post("/v1/endpoints", #"{"id":"ep_plain","url":"https://a.example/h"}"#).status == .unprocessableContent)
            let mine = try await api.post("/v1/endpoints", #"{"id":"ep_default.billing","url":"https://a.example/h"}"#)
            #expect(mine.status == .created)
            #expect(try await api.get("/v1/endpoints/ep_default.billing").status == .ok)
        }
    }

    @Test("documented caps: custom headers and event types per endpoint")
    func caps() async throws {
        try await APIHarness.with { api in
            let headers = (0...EndpointValidation.maxHeaders).map { #""x-h\#($0)":"v""# }.joined(separator: ",")
            let tooMany = try await api.post("/v1/endpoints", #"{"url":"https://a.example/h","headers":{\#(headers)}}"#)
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.errorMessage?.hasPrefix("headers:") == true)
            let types = (0...EndpointValidation.maxEventTypes).map { #""t.\#($0)""# }.joined(separator: ",")
            #expect(try await api.post("/v1/endpoints", #"{"url":"https://a.example/h","event_types":[\#(types)]}"#).status
                == .unprocessableContent)
        }
    }
}
