import HTTPTypes
import SwitchboardCore
import Testing

@Suite("Bad input never becomes a 500")
struct BadInputTests {
    static let bodies: [String] = [
        "", " ", "{", "}", "[]", "null", "true", "\"text\"", "123", "{\"a\":}", "{\"a\":1,}", "\u{FEFF}{}",
        "{\"url\":null,\"name\":null}", "{\"event_type\":null,\"payload\":null}", "{\"since\":null}",
        "{\"max_concurrency\":1e400}", "{\"max_concurrency\":1e20}", "{\"grace_seconds\":-1e20}",
        "{\"event_types\":[[[]]],\"headers\":[]}", "{\"endpoint_ids\":{}}", "{\"scopes\":[null]}",
        "{\"name\":\"\\u0000\",\"url\":\"http://\\u0000\"}", "{\"url\":\"http://[::1\"}", "{\"url\":\"https://\"}",
        "{\"since\":\"2026-02-30T00:00:00Z\"}", "{\"since\":\"9999-12-31T23:59:60+23:59\"}",
        String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000),
        "{\"payload\":" + String(repeating: "{\"a\":", count: 3000) + "1" + String(repeating: "}", count: 3000) + ",\"event_type\":\"a\"}",
    ]

    static let routes: [(HTTPRequest.Method, String)] = [
        (.post, "/v1/endpoints"), (.patch, "/v1/endpoints/ep_x"), (.post, "/v1/endpoints/ep_x/rotate-secret"),
        (.post, "/v1/endpoints/ep_x/recover"), (.post, "/v1/events"), (.post, "/v1/events/evt_x/replay"),
        (.post, "/v1/api-keys"),
    ]

    @Test("every body route answers malformed or odd bodies with a 4xx JSON error")
    func oddBodies() async throws {
        try await APIHarness.with { api in
            let endpointID = try #require(try await api.createEndpoint()["id"]?.string)
            let eventID = try #require(try await api.publish()["id"]?.string)
            for (method, template) in Self.routes {
                let path = template.replacingOccurrences(of: "ep_x", with: endpointID).replacingOccurrences(of: "evt_x", with: eventID)
                for body in Self.bodies {
                    let response = try await api.request(method, path, key: api.keys.admin, body: body)
                    let shown = body.prefix(60)
                    #expect((200..<500).contains(response.status.code), "\(method) \(path) \(shown): \(response.status)")
                    if response.status.code >= 400 {
                        #expect(response.errorCode != nil, "\(method) \(path) \(shown): \(response.body.prefix(200))")
                        #expect(response.errorCode != "internal_error")
                    }
                }
            }
        }
    }

    @Test("odd path and query strings are 4xx, never 500")
    func oddPaths() async throws {
        try await APIHarness.with { api async throws in
            let paths = [
                "/v1/events?limit=99999999999999999999999", "/v1/events?offset=", "/v1/events?status=", "/v1/events?event_type=",
                "/v1/events?endpoint_id=", "/v1/endpoints/%00", "/v1/endpoints/%zz", "/v1/events/" + String(repeating: "e", count: 5000),
                "/v1/stream?max_events=-1",
            ]
            for path in paths {
                let response = try await api.request(.get, path, key: api.keys.admin)
                #expect((400..<500).contains(response.status.code), "\(path): \(response.status)")
            }
        }
    }
}
