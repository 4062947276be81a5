import HTTPTypes
import SwitchboardCore
import Testing

@Suite("Authentication and scopes")
struct AuthTests {
    @Test("a /v1 request without a key is 401 with the JSON error and WWW-Authenticate")
    func missingKey() async throws {
        try await APIHarness.with { api in
            let response = try await api.request(.get, "/v1/endpoints", key: nil)
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "unauthorized")
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test("an unknown key, a non-bearer scheme and a key-shaped garbage string are all 401")
    func unknownKey() async throws {
        try await APIHarness.with { api in
            #expect(try await api.request(.get, "/v1/endpoints", key: "sbk_not_a_real_key").status == .unauthorized)
            #expect(try await api.request(.get, "/v1/endpoints", key: "").status == .unauthorized)
            let basic = try await api.request(.get, "/v1/endpoints", key: nil, headers: [.authorization: "Basic \(api.keys.reader)"])
            #expect(basic.status == .unauthorized)
        }
    }

    @Test("the scheme is case-insensitive: 'bearer' works like 'Bearer'")
    func lowercaseScheme() async throws {
        try await APIHarness.with { api in
            let response = try await api.request(.get, "/v1/endpoints", key: nil, headers: [.authorization: "bearer \(api.keys.reader)"])
            #expect(response.status == .ok)
        }
    }

    @Test("the 401 message never echoes the presented key")
    func unauthorizedMessageHasNoKey() async throws {
        try await APIHarness.with { api in
            let response = try await api.request(.get, "/v1/endpoints", key: "sbk_leaky_secret_value")
            #expect(response.status == .unauthorized)
            #expect(!response.body.contains("leaky_secret_value"))
        }
    }

    @Test(
        "a read-only key gets 403 naming the write scope on every mutating route family",
        arguments: [
            (HTTPRequest.Method.post, "/v1/endpoints", #"{"url":"https://a.example","name":"a"}"#),
            (.patch, "/v1/endpoints/ep_x", #"{"name":"b"}"#),
            (.delete, "/v1/endpoints/ep_x", nil),
            (.post, "/v1/endpoints/ep_x/disable", nil),
            (.post, "/v1/endpoints/ep_x/enable", nil),
            (.post, "/v1/endpoints/ep_x/rotate-secret", nil),
            (.post, "/v1/endpoints/ep_x/recover", #"{"since":"2026-01-01T00:00:00Z"}"#),
            (.post, "/v1/events", #"{"event_type":"a.b","payload":{}}"#),
            (.post, "/v1/events/evt_x/replay", nil),
            (.post, "/v1/deliveries/dlv_x/retry", nil),
        ] as [(HTTPRequest.Method, String, String?)])
    func readKeyCannotWrite(method: HTTPRequest.Method, path: String, body: String?) async throws {
        try await APIHarness.with { api in
            let response = try await api.request(method, path, key: api.keys.reader, body: body)
            #expect(response.status == .forbidden)
            #expect(response.errorCode == "insufficient_scope")
            #expect(response.errorMessage == "this API key lacks the write scope")
        }
    }

    @Test(
        "a write key gets 403 naming the admin scope on the api-keys routes",
        arguments: [
            (HTTPRequest.Method.post, "/v1/api-keys", #"{"name":"k"}"#),
            (.get, "/v1/api-keys", nil),
            (.delete, "/v1/api-keys/key_x", nil),
        ] as [(HTTPRequest.Method, String, String?)])
    func writeKeyCannotAdminister(method: HTTPRequest.Method, path: String, body: String?) async throws {
        try await APIHarness.with { api in
            let response = try await api.request(method, path, key: api.keys.writer, body: body)
            #expect(response.status == .forbidden)
            #expect(response.errorMessage == "this API key lacks the admin scope")
        }
    }

    @Test("a read key may read: endpoints, events, usage")
    func readKeyCanRead() async throws {
        try await APIHarness.with { api async throws in
            for path in ["/v1/endpoints", "/v1/events", "/v1/usage/current"] {
                #expect(try await api.get(path, key: api.keys.reader).status == .ok, "GET \(path)")
            }
        }
    }

    @Test("an admin key implies write and read")
    func adminImpliesWrite() async throws {
        try await APIHarness.with { api in
            let created = try await api.post("/v1/endpoints", #"{"url":"https://a.example/h","name":"a"}"#, key: api.keys.admin)
            #expect(created.status == .created)
            #expect(try await api.get("/v1/endpoints", key: api.keys.admin).status == .ok)
        }
    }

    @Test("public routes need no key")
    func publicRoutes() async throws {
        try await APIHarness.with { api async throws in
            for path in ["/healthz", "/metrics", "/openapi.yaml"] {
                #expect(try await api.request(.get, path, key: nil).status == .ok, "GET \(path)")
            }
        }
    }
}
