import Foundation
import SwitchboardCore
import Testing


@Suite("API keys")
struct APIKeyStoreTests {
    typealias F = StoreFixture

    static func key(_ secret: String, tenant: TenantID = F.tenant, scopes: Set<APIKey.Scope>, at seconds: TimeInterval) -> APIKey {
        APIKey(
            id: Identifier.make(.apiKey, at: F.at(seconds)), tenantID: tenant, name: "key \(secret)", scopes: scopes,
            keyHash: APIKey.hash(secret), keyPrefix: String(secret.prefix(8)), createdAt: F.at(seconds))
    }

    @Test("a key is found by its hash until it is revoked", arguments: StoreKind.allCases)
    func lookupAndRevoke(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let key = Self.key("sbk_alpha", scopes: [.read, .write], at: 0)
            try await fixture.store.insertAPIKey(key)
            #expect(try await fixture.store.apiKey(hash: APIKey.hash("sbk_alpha")) == key)
            #expect(try await fixture.store.apiKey(hash: APIKey.hash("sbk_beta")) == nil)

            #expect(try await fixture.store.revokeAPIKey(id: key.id, tenant: F.tenant, at: F.at(10)))
            #expect(try await fixture.store.apiKey(hash: key.keyHash) == nil)
            #expect(try await fixture.store.revokeAPIKey(id: key.id, tenant: F.tenant, at: F.at(11)) == false, "already revoked")
            #expect(try await fixture.store.apiKeys(tenant: F.tenant).first?.revokedAt == F.at(10))
        }
    }

    @Test("revoking is tenant-scoped unless no tenant is given", arguments: StoreKind.allCases)
    func revokeScoping(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let key = Self.key("sbk_alpha", scopes: [.read], at: 0)
            try await fixture.store.insertAPIKey(key)
            #expect(try await fixture.store.revokeAPIKey(id: key.id, tenant: F.otherTenant, at: F.at(1)) == false)
            #expect(try await fixture.store.apiKey(hash: key.keyHash) != nil)
            #expect(try await fixture.store.revokeAPIKey(id: key.id, tenant: nil, at: F.at(2)))
            #expect(try await fixture.store.apiKey(hash: key.keyHash) == nil)
        }
    }

    @Test("listing is oldest first, revoked keys included; admin keys are counted across tenants", arguments: StoreKind.allCases)
    func listingAndAdminCount(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let admin = Self.key("sbk_admin", scopes: [.admin], at: 2)
            let reader = Self.key("sbk_reader", scopes: [.read], at: 1)
            let foreignAdmin = Self.key("sbk_foreign", tenant: F.otherTenant, scopes: [.read, .admin], at: 3)
            for key in [admin, reader, foreignAdmin] { try await fixture.store.insertAPIKey(key) }

            #expect(try await fixture.store.apiKeys(tenant: F.tenant).map(\.id) == [reader.id, admin.id])
            #expect(try await fixture.store.apiKeys(tenant: nil).map(\.id) == [reader.id, admin.id, foreignAdmin.id])
            #expect(try await fixture.store.apiKeys(tenant: F.otherTenant).first?.scopes == [.read, .admin])
            #expect(try await fixture.store.activeAdminKeyCount() == 2)

            _ = try await fixture.store.revokeAPIKey(id: foreignAdmin.id, tenant: nil, at: F.at(4))
            #expect(try await fixture.store.activeAdminKeyCount() == 1)
        }
    }

    @Test("the first admin key is stored only while no unrevoked admin key exists", arguments: StoreKind.allCases)
    func firstAdminKey(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            try await fixture.store.insertAPIKey(Self.key("sbk_reader", scopes: [.read], at: 0))
            let first = Self.key("sbk_first", scopes: [.admin], at: 1)
            #expect(try await fixture.store.insertFirstAdminKey(first), "a read key is no admin key")
            #expect(try await fixture.store.insertFirstAdminKey(Self.key("sbk_second", scopes: [.admin], at: 2)) == false)
            #expect(try await fixture.store.activeAdminKeyCount() == 1)
            #expect(try await fixture.store.apiKey(hash: APIKey.hash("sbk_second")) == nil)

            _ = try await fixture.store.revokeAPIKey(id: first.id, tenant: nil, at: F.at(3))
            #expect(try await fixture.store.insertFirstAdminKey(Self.key("sbk_third", scopes: [.admin], at: 4)))
            #expect(try await fixture.store.activeAdminKeyCount() == 1)
        }
    }

    @Test("a key whose hash is already stored is a conflict", arguments: StoreKind.allCases)
    func duplicateHash(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            try await fixture.store.insertAPIKey(Self.key("sbk_same", scopes: [.read], at: 0))
            let error = await #expect(throws: StoreError.self) {
                try await fixture.store.insertAPIKey(Self.key("sbk_same", scopes: [.admin], at: 1))
            }
            #expect(error?.isConflict == true)
        }
    }
}
