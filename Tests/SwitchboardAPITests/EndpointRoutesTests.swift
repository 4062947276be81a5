import Foundation
import HTTPTypes
import SwitchboardCore
import Testing

@Suite("Endpoints")
struct EndpointRoutesTests {
    @Test("create answers 201 with the whole endpoint and its secret, shown this once")
    func createShowsSecretOnce() async throws {
        try await APIHarness.with { api in
            let response = try await api.post(
                "/v1/endpoints",
                #"{"url":"https://receiver.example/hooks","name":"orders","description":"order events","event_types":["order.*"],"headers":{"X-Team":"billing"},"max_concurrency":8}"#)
            #expect(response.status == .created)
            let endpoint = try response.json()
            let id = try #require(endpoint["id"]?.string)
            #expect(id.hasPrefix("ep_"))
            #expect(endpoint["secret"]?.string?.hasPrefix("whsec_") == true)
            #expect(endpoint["auth"]?.string == "signature")
            #expect(endpoint["event_types"] == .array([.string("order.*")]))
            #expect(endpoint["headers"] == .object(["X-Team": .string(Endpoint.redactedHeaderValue)]), "header values are write-only")
            #expect(endpoint["max_concurrency"]?.int == 8)
            #expect(endpoint["enabled"]?.bool == true)
            #expect(endpoint["disabled_reason"] == .null)
            #expect(endpoint.keys.isSuperset(of: ["description", "disabled_at", "failing_since", "created_at", "updated_at"]))

            let read = try await api.get("/v1/endpoints/\(id)")
            #expect(read.status == .ok)
            #expect(try read.json()["secret"] == nil)
            #expect(!read.body.contains(try #require(endpoint["secret"]?.string)))
            let list = try await api.get("/v1/endpoints")
            #expect(try list.json()["endpoints"]?.array?.count == 1)
            #expect(!list.body.contains("whsec_"))
        }
    }

    @Test("rate_limit_per_second is stored and shown, 0 in an update removes it, out of range is a 422")
    func rateLimit() async throws {
        try await APIHarness.with { api in
            let created = try await api.post("/v1/endpoints", #"{"url":"https://receiver.example/hooks","rate_limit_per_second":50}"#)
            #expect(created.status == .created)
            let id = try #require(try created.json()["id"]?.string)
            #expect(try created.json()["rate_limit_per_second"]?.int == 50)
            #expect(try await api.post("/v1/endpoints", #"{"url":"https://receiver.example/h","rate_limit_per_second":20000}"#).status == .unprocessableContent)
            #expect(try await api.post("/v1/endpoints", #"{"url":"https://receiver.example/h","rate_limit_per_second":0}"#).status == .unprocessableContent)
            let cleared = try await api.patch("/v1/endpoints/\(id)", #"{"rate_limit_per_second":0}"#)
            #expect(try cleared.json()["rate_limit_per_second"] == .null)
            #expect(try await api.get("/v1/endpoints/\(id)").json()["rate_limit_per_second"] == .null)
        }
    }

    @Test("private, loopback and plain-http destinations are refused with url_not_allowed unless dev mode is on")
    func destinationPolicy() async throws {
        try await APIHarness.with { api in
            for url in ["http://hooks.example.com/h", "https://127.0.0.1/h", "https://2130706433/h", "https://[::ffff:127.0.0.1]/h", "https://169.254.169.254/latest", "https://localhost:3000/h"] {
                let response = try await api.post("/v1/endpoints", #"{"url":"\#(url)"}"#)
                #expect(response.status == .unprocessableContent, "\(url)")
                #expect(response.body.contains("url_not_allowed"), "\(url): \(response.body)")
            }
            let created = try await api.post("/v1/endpoints", #"{"url":"https://receiver.example/hooks"}"#)
            let id = try #require(try created.json()["id"]?.string)
            #expect(try await api.patch("/v1/endpoints/\(id)", #"{"url":"https://10.0.0.8/h"}"#).status == .unprocessableContent)
        }
        try await APIHarness.with(configuration: DispatcherConfiguration(destinations: .development)) { api in
            let local = try await api.post("/v1/endpoints", #"{"url":"http://127.0.0.1:3000/hooks"}"#)
            #expect(local.status == .created)
        }
    }

    @Test("subscribed_events is accepted as an alias of event_types, and name defaults to the URL's host")
    func subscribedEventsAlias() async throws {
        try await APIHarness.with { api in
            let response = try await api.post(
                "/v1/endpoints", #"{"url":"https://hooks.example.com/in","description":"Production","subscribed_events":["order.created","invoice.paid"]}"#)
            #expect(response.status == .created)
            let endpoint = try response.json()
            #expect(endpoint["event_types"] == .array([.string("order.created"), .string("invoice.paid")]))
            #expect(endpoint["name"]?.string == "hooks.example.com")
        }
    }

    @Test("a client-supplied id in the tenant's namespace is kept; reusing it is 409")
    func clientID() async throws {
        try await APIHarness.with { api in
            let body = #"{"id":"ep_default.billing-prod","url":"https://a.example/h","name":"billing"}"#
            let first = try await api.post("/v1/endpoints", body)
            #expect(first.status == .created)
            #expect(try first.json()["id"]?.string == "ep_default.billing-prod")
            let second = try await api.post("/v1/endpoints", body)
            #expect(second.status == .conflict)
            #expect(second.errorCode == "endpoint_exists")
        }
    }

    @Test("bearer auth is stored and shown")
    func bearerAuth() async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/endpoints", #"{"url":"https://a.example/h","name":"a","auth":"bearer"}"#)
            #expect(response.status == .created)
            let id = try #require(try response.json()["id"]?.string)
            #expect(try await api.get("/v1/endpoints/\(id)").json()["auth"]?.string == "bearer")
        }
    }

    @Test(
        "invalid fields are 422 naming the field",
        arguments: [
            (#"{"name":"a"}"#, "url"),
            (#"{"url":"not a url","name":"a"}"#, "url"),
            (#"{"url":"ftp://files.example/in","name":"a"}"#, "url"),
            (#"{"url":"https://user:pw@a.example/h","name":"a"}"#, "url"),
            (#"{"url":42,"name":"a"}"#, "url"),
            (#"{"url":"https://a.example/h","name":""}"#, "name"),
            (#"{"url":"https://a.example/h","name":"   "}"#, "name"),
            ("{\"url\":\"https://a.example/h\",\"name\":\"\(String(repeating: "n", count: 129))\"}", "name"),
            (#"{"url":"https://a.example/h","name":["a"]}"#, "name"),
            (#"{"url":"https://a.example/h","event_types":"order.created"}"#, "event_types"),
            (#"{"url":"https://a.example/h","event_types":[1]}"#, "event_types"),
            (#"{"url":"https://a.example/h","event_types":["has space"]}"#, "event_types"),
            (#"{"url":"https://a.example/h","subscribed_events":{"a":1}}"#, "subscribed_events"),
            (#"{"url":"https://a.example/h","auth":"basic"}"#, "auth"),
            (#"{"url":"https://a.example/h","id":"whk_123"}"#, "id"),
            (#"{"url":"https://a.example/h","headers":{"X-A":1}}"#, "headers"),
            (#"{"url":"https://a.example/h","headers":{"Authorization":"x"}}"#, "headers"),
            (#"{"url":"https://a.example/h","max_concurrency":0}"#, "max_concurrency"),
            (#"{"url":"https://a.example/h","max_concurrency":1.5}"#, "max_concurrency"),
            (#"{"url":"https://a.example/h","description":false}"#, "description"),
        ])
    func invalidFields(body: String, field: String) async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/endpoints", body)
            #expect(response.status == .unprocessableContent, "\(body)")
            #expect(response.errorCode == "validation_failed")
            #expect(response.errorMessage?.hasPrefix("\(field):") == true, "\(response.errorMessage ?? "")")
            #expect(try await api.get("/v1/endpoints").json()["endpoints"]?.array?.isEmpty == true)
        }
    }

    @Test("unknown fields are ignored")
    func unknownFieldsIgnored() async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/endpoints", #"{"url":"https://a.example/h","name":"a","colour":"blue"}"#)
            #expect(response.status == .created)
        }
    }

    @Test("malformed JSON is 400 invalid_json, a non-object body too")
    func malformedJSON() async throws {
        try await APIHarness.with { api in
            for body in [#"{"url":"#, "[1,2]", "", "null"] {
                let response = try await api.post("/v1/endpoints", body)
                #expect(response.status == .badRequest, "body \(body)")
                #expect(response.errorCode == "invalid_json")
            }
        }
    }

    @Test("PATCH changes only the fields given and never returns the secret")
    func patch() async throws {
        try await APIHarness.with { api in
            let id = try #require(try await api.createEndpoint(eventTypes: ["order.created"])["id"]?.string)
            let response = try await api.patch("/v1/endpoints/\(id)", #"{"name":"renamed","subscribed_events":["invoice.paid"]}"#)
            #expect(response.status == .ok)
            let endpoint = try response.json()
            #expect(endpoint["name"]?.string == "renamed")
            #expect(endpoint["event_types"] == .array([.string("invoice.paid")]))
            #expect(endpoint["url"]?.string == "https://receiver.example/hooks")
            #expect(endpoint["secret"] == nil)
            let invalid = try await api.patch("/v1/endpoints/\(id)", #"{"url":"ftp://x"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(try await api.patch("/v1/endpoints/ep_missing", #"{"name":"x"}"#).status == .notFound)
        }
    }

    @Test("DELETE answers 204, then the endpoint is 404")
    func delete() async throws {
        try await APIHarness.with { api in
            let id = try #require(try await api.createEndpoint()["id"]?.string)
            let deleted = try await api.delete("/v1/endpoints/\(id)")
            #expect(deleted.status == .noContent)
            #expect(deleted.body.isEmpty)
            #expect(try await api.get("/v1/endpoints/\(id)").status == .notFound)
            #expect(try await api.delete("/v1/endpoints/\(id)").status == .notFound)
        }
    }

    @Test("disable pauses the endpoint's pending deliveries; enable resumes them")
    func disableAndEnable() async throws {
        try await APIHarness.with { api in
            let id = try #require(try await api.createEndpoint()["id"]?.string)
            let deliveryID = try #require(try await api.publish()["delivery_ids"]?[0]?.string)

            let disabled = try await api.post("/v1/endpoints/\(id)/disable")
            #expect(disabled.status == .ok)
            #expect(try disabled.json()["enabled"]?.bool == false)
            #expect(try disabled.json()["disabled_reason"]?.string == "manual")
            #expect(try disabled.json()["disabled_at"]?.string != nil)
            #expect(try await api.get("/v1/deliveries/\(deliveryID)").json()["state"]?.string == "paused")

            let enabled = try await api.post("/v1/endpoints/\(id)/enable")
            #expect(enabled.status == .ok)
            #expect(try enabled.json()["enabled"]?.bool == true)
            #expect(try enabled.json()["disabled_reason"] == .null)
            #expect(try await api.get("/v1/deliveries/\(deliveryID)").json()["state"]?.string == "pending")
        }
    }

    @Test("rotate-secret returns a new secret and when the previous one stops signing")
    func rotateSecret() async throws {
        try await APIHarness.with { api in
            let created = try await api.createEndpoint()
            let id = try #require(created["id"]?.string)
            let response = try await api.post("/v1/endpoints/\(id)/rotate-secret", #"{"grace_seconds":3600}"#)
            #expect(response.status == .ok)
            let rotated = try response.json()
            let newSecret = try #require(rotated["secret"]?.string)
            #expect(newSecret.hasPrefix("whsec_"))
            #expect(newSecret != created["secret"]?.string)
            let expiry = try #require(rotated["previous_secret_expires_at"]?.string.flatMap(Timestamp.parse))
            #expect(abs(expiry.timeIntervalSinceNow - 3600) < 60)

            let immediate = try await api.post("/v1/endpoints/\(id)/rotate-secret", #"{"grace_seconds":0}"#)
            #expect(try immediate.json()["previous_secret_expires_at"] == .null)
            // An empty body means the default grace (a day for signature endpoints).
            let defaulted = try await api.post("/v1/endpoints/\(id)/rotate-secret")
            #expect(defaulted.status == .ok)
            #expect(try defaulted.json()["previous_secret_expires_at"]?.string != nil)

            let negative = try await api.post("/v1/endpoints/\(id)/rotate-secret", #"{"grace_seconds":-1}"#)
            #expect(negative.status == .unprocessableContent)
            #expect(negative.errorMessage?.hasPrefix("grace_seconds:") == true)
            let wrongType = try await api.post("/v1/endpoints/\(id)/rotate-secret", #"{"grace_seconds":"1h"}"#)
            #expect(wrongType.errorMessage?.hasPrefix("grace_seconds:") == true)
        }
    }

    @Test("recover requeues the endpoint's failed deliveries in the window and answers 202 with them")
    func recover() async throws {
        try await APIHarness.with { api in
            let id = try #require(try await api.createEndpoint()["id"]?.string)
            let failed = try #require(try await api.publish()["delivery_ids"]?[0]?.string)
            let succeeded = try #require(try await api.publish()["delivery_ids"]?[0]?.string)
            try await api.recordAttempt(deliveryID: failed, statusCode: 500)
            try await api.recordAttempt(deliveryID: succeeded, statusCode: 200)

            let since = Timestamp.string(Date().addingTimeInterval(-3600))
            let response = try await api.post("/v1/endpoints/\(id)/recover", #"{"since":"\#(since)"}"#)
            #expect(response.status == .accepted)
            let body = try response.json()
            #expect(body["requeued"]?.int == 1)
            #expect(body["delivery_ids"] == .array([.string(failed)]))
            #expect(try await api.get("/v1/deliveries/\(failed)").json()["state"]?.string == "pending")
            #expect(try await api.get("/v1/deliveries/\(succeeded)").json()["state"]?.string == "succeeded")
        }
    }

    @Test("recover validates its window: since is required, an RFC 3339 time, before until")
    func recoverValidation() async throws {
        try await APIHarness.with { api in
            let id = try #require(try await api.createEndpoint()["id"]?.string)
            let cases: [(String, String)] = [
                ("{}", "since"),
                (#"{"since":"yesterday"}"#, "since"),
                (#"{"since":1700000000}"#, "since"),
                (#"{"since":"2026-02-01T00:00:00Z","until":"2026-01-01T00:00:00Z"}"#, "since"),
                (#"{"since":"2026-01-01T00:00:00Z","until":"soon"}"#, "until"),
            ]
            for (body, field) in cases {
                let response = try await api.post("/v1/endpoints/\(id)/recover", body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(response.errorMessage?.hasPrefix("\(field):") == true, "\(body): \(response.errorMessage ?? "")")
            }
            let offset = try await api.post("/v1/endpoints/\(id)/recover", #"{"since":"2026-01-01t10:00:00.123456+02:00"}"#)
            #expect(offset.status == .accepted)
        }
    }

    @Test("recover on a disabled endpoint is 409: enable it first")
    func recoverDisabled() async throws {
        try await APIHarness.with { api in
            let id = try #require(try await api.createEndpoint()["id"]?.string)
            _ = try await api.post("/v1/endpoints/\(id)/disable")
            let response = try await api.post("/v1/endpoints/\(id)/recover", #"{"since":"2020-01-01T00:00:00Z"}"#)
            #expect(response.status == .conflict)
            #expect(response.errorCode == "endpoint_disabled")
        }
    }
}
