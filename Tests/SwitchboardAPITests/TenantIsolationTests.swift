import HTTPTypes
import SwitchboardCore
import Testing

@Suite("Tenant isolation")
struct TenantIsolationTests {
    @Test("another tenant's endpoint, event and delivery ids are 404 on every route that takes them")
    func foreignIDsAreNotFound() async throws {
        try await APIHarness.with { api in
            let endpointID = try #require(try await api.createEndpoint()["id"]?.string)
            let published = try await api.publish()
            let eventID = try #require(published["id"]?.string)
            let deliveryID = try #require(published["delivery_ids"]?[0]?.string)
            let stranger = api.keys.otherTenant
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/v1/endpoints/\(endpointID)", nil),
                (.patch, "/v1/endpoints/\(endpointID)", #"{"name":"mine now"}"#),
                (.post, "/v1/endpoints/\(endpointID)/disable", nil),
                (.post, "/v1/endpoints/\(endpointID)/enable", nil),
                (.post, "/v1/endpoints/\(endpointID)/rotate-secret", nil),
                (.post, "/v1/endpoints/\(endpointID)/recover", #"{"since":"2020-01-01T00:00:00Z"}"#),
                (.delete, "/v1/endpoints/\(endpointID)", nil),
                (.get, "/v1/events/\(eventID)", nil),
                (.post, "/v1/events/\(eventID)/replay", nil),
                (.get, "/v1/deliveries/\(deliveryID)", nil),
                (.get, "/v1/deliveries/\(deliveryID)/attempts", nil),
                (.post, "/v1/deliveries/\(deliveryID)/retry", nil),
            ]
            for (method, path, body) in requests {
                let response = try await api.request(method, path, key: stranger, body: body)
                #expect(response.status == .notFound, "\(method) \(path) answered \(response.status)")
            }
            // Nothing was changed by the attempts: the endpoint is still there, enabled, with its name.
            let endpoint = try await api.get("/v1/endpoints/\(endpointID)").json()
            #expect(endpoint["name"]?.string == "orders")
            #expect(endpoint["enabled"]?.bool == true)
        }
    }

    @Test("lists show only the caller's tenant")
    func listsAreScoped() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            try await api.publish()
            let endpoints = try await api.get("/v1/endpoints", key: api.keys.otherTenant).json()
            #expect(endpoints["endpoints"]?.array?.isEmpty == true)
            let events = try await api.get("/v1/events", key: api.keys.otherTenant).json()
            #expect(events["events"]?.array?.isEmpty == true)
            #expect(events["total"]?.int == 0)
            let keys = try await api.get("/v1/api-keys", key: api.keys.otherTenant).json()
            #expect(keys["api_keys"]?.array?.compactMap { $0["name"]?.string } == ["globex admin"])
        }
    }

    @Test("an event published by one tenant fans out only to that tenant's endpoints")
    func fanOutIsScoped() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            let published = try await api.publish(key: api.keys.otherTenant)
            #expect(published["delivery_ids"]?.array?.isEmpty == true)
        }
    }

    @Test("revoking another tenant's API key is 404 and leaves the key working")
    func foreignKeyRevocation() async throws {
        try await APIHarness.with { api in
            let keys = try await api.get("/v1/api-keys", key: api.keys.admin).json()
            let readerID = try #require(keys["api_keys"]?.array?.first { $0["name"]?.string == "reader" }?["id"]?.string)
            #expect(try await api.delete("/v1/api-keys/\(readerID)", key: api.keys.otherTenant).status == .notFound)
            #expect(try await api.get("/v1/endpoints", key: api.keys.reader).status == .ok)
        }
    }

    @Test("a tenant's admin cannot mint a key for another tenant; the default tenant's admin can, and can revoke it")
    func crossTenantKeyCreation() async throws {
        try await APIHarness.with { api in
            let denied = try await api.post("/v1/api-keys", #"{"name":"sneaky","tenant":"default","scopes":["admin"]}"#, key: api.keys.otherTenant)
            #expect(denied.status == .forbidden)
            let allowed = try await api.post("/v1/api-keys", #"{"name":"for globex","tenant":"globex","scopes":["read"]}"#, key: api.keys.admin)
            #expect(allowed.status == .created)
            #expect(try allowed.json()["tenant"]?.string == "globex")
            // The operator's admin may revoke the key it made; the key stops working at once.
            let id = try #require(try allowed.json()["id"]?.string)
            let secret = try #require(try allowed.json()["key"]?.string)
            #expect(try await api.get("/v1/endpoints", key: secret).status == .ok)
            #expect(try await api.delete("/v1/api-keys/\(id)", key: api.keys.admin).status == .noContent)
            #expect(try await api.get("/v1/endpoints", key: secret).status == .unauthorized)
        }
    }
}
