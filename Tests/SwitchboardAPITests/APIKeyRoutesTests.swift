import HTTPTypes
import SwitchboardCore
import Testing

@Suite("API keys")
struct APIKeyRoutesTests {
    @Test("create answers 201 with the sbk_ key once; the new key works with its scopes")
    func create() async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/api-keys", #"{"name":"ci","scopes":["read","write"]}"#, key: api.keys.admin)
            #expect(response.status == .created)
            let created = try response.json()
            let secret = try #require(created["key"]?.string)
            #expect(secret.hasPrefix("sbk_"))
            #expect(created["id"]?.string?.hasPrefix("key_") == true)
            #expect(created["tenant"]?.string == "default")
            #expect(created["scopes"] == .array([.string("read"), .string("write")]))
            #expect(created["key_prefix"]?.string == String(secret.prefix(8)))
            #expect(created["revoked_at"] == .null)

            #expect(try await api.post("/v1/endpoints", #"{"url":"https://a.example/h"}"#, key: secret).status == .created)
            #expect(try await api.get("/v1/api-keys", key: secret).status == .forbidden)
        }
    }

    @Test("scopes default to read")
    func defaultScopes() async throws {
        try await APIHarness.with { api in
            let created = try await api.post("/v1/api-keys", #"{"name":"dashboard"}"#, key: api.keys.admin).json()
            #expect(created["scopes"] == .array([.string("read")]))
        }
    }

    @Test(
        "invalid bodies are 422 naming the field",
        arguments: [
            (#"{}"#, "name"), (#"{"name":""}"#, "name"), (#"{"name":"\n"}"#, "name"), (#"{"name":5}"#, "name"),
            (#"{"name":"k","scopes":["root"]}"#, "scopes"), (#"{"name":"k","scopes":[]}"#, "scopes"),
            (#"{"name":"k","scopes":"read"}"#, "scopes"), (#"{"name":"k","tenant":"bad tenant!"}"#, "tenant"),
        ])
    func invalid(body: String, field: String) async throws {
        try await APIHarness.with { api in
            let response = try await api.post("/v1/api-keys", body, key: api.keys.admin)
            #expect(response.status == .unprocessableContent, "\(body)")
            #expect(response.errorMessage?.hasPrefix("\(field):") == true, "\(response.errorMessage ?? "")")
        }
    }

    @Test("the list shows the tenant's keys with their prefix, never a secret or a hash")
    func list() async throws {
        try await APIHarness.with { api in
            let response = try await api.get("/v1/api-keys", key: api.keys.admin)
            #expect(response.status == .ok)
            let keys = try #require(try response.json()["api_keys"]?.array)
            #expect(keys.compactMap { $0["name"]?.string } == ["admin", "writer", "reader"])
            for key in keys {
                #expect(key["key"] == nil)
                #expect(key["key_hash"] == nil)
                #expect(key["key_prefix"]?.string?.hasPrefix("sbk_") == true)
            }
            for secret in [api.keys.admin, api.keys.writer, api.keys.reader] {
                #expect(!response.body.contains(secret))
                #expect(!response.body.contains(APIKey.hash(secret)))
            }
        }
    }

    @Test("a revoked key is refused at once, and shows revoked_at in the list")
    func revoke() async throws {
        try await APIHarness.with { api in
            let created = try await api.post("/v1/api-keys", #"{"name":"temp","scopes":["read"]}"#, key: api.keys.admin).json()
            let id = try #require(created["id"]?.string)
            let secret = try #require(created["key"]?.string)
            #expect(try await api.get("/v1/endpoints", key: secret).status == .ok)

            let revoked = try await api.delete("/v1/api-keys/\(id)", key: api.keys.admin)
            #expect(revoked.status == .noContent)
            #expect(try await api.get("/v1/endpoints", key: secret).status == .unauthorized)
            let listed = try await api.get("/v1/api-keys", key: api.keys.admin).json()
            #expect(listed["api_keys"]?.array?.first { $0["id"]?.string == id }?["revoked_at"]?.string != nil)
            #expect(try await api.delete("/v1/api-keys/\(id)", key: api.keys.admin).status == .notFound)
        }
    }
}
