import Crypto
import Foundation

extension Switchboard {
    /// Creates an API key; the returned secret (`sbk_…`) is shown this once and stored only as a hash.
    public func createAPIKey(name: String, tenant: TenantID, scopes: Set<APIKey.Scope>) async throws(SwitchboardError) -> (key: APIKey, secret: Secret) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 128 else { throw .invalid("name", "must be 1–128 characters") }
        guard TenantValidation.isValid(tenant) else { throw .invalid("tenant", "must be 1–64 letters, digits, '_' or '-'") }
        guard !scopes.isEmpty else { throw .invalid("scopes", "must contain at least one of read, write, admin") }
        let secret = Self.generateAPIKeySecret()
        let now = clock.now()
        let key = APIKey(
            id: Identifier.make(.apiKey, at: now), tenantID: tenant, name: name, scopes: scopes,
            keyHash: APIKey.hash(secret.reveal()), keyPrefix: String(secret.reveal().prefix(8)), createdAt: now)
        try await storeCall { try await store.insertAPIKey(key) }
        return (key, secret)
    }

    /// The key a caller presented, when it exists and is not revoked.
    public func authenticate(presentedKey: String) async throws(SwitchboardError) -> APIKey? {
        guard presentedKey.hasPrefix("sbk_"), presentedKey.count < 200 else { return nil }
        return try await storeCall { try await store.apiKey(hash: APIKey.hash(presentedKey)) }
    }

    /// Whether `key` still exists unrevoked (long-lived responses such as `/v1/stream` ask
    /// this periodically).
    public func isActive(_ key: APIKey) async throws(SwitchboardError) -> Bool {
        try await storeCall { try await store.apiKey(hash: key.keyHash) }?.id == key.id
    }

    public func apiKeys(tenant: TenantID?) async throws(SwitchboardError) -> [APIKey] {
        try await storeCall { try await store.apiKeys(tenant: tenant) }
    }

    /// Revokes a key at once.
    public func revokeAPIKey(id: String, tenant: TenantID?) async throws(SwitchboardError) {
        guard try await storeCall({ try await store.revokeAPIKey(id: id, tenant: tenant, at: clock.now()) }) else {
            throw .notFound("api_key", id: id)
        }
    }

    /// Creates the first admin key when the store has none; returns its secret, or `nil`
    /// when an admin key already exists.
    ///
    /// The check and the insert are one step of the store (``Store/insertFirstAdminKey(_:)``):
    /// of several nodes starting at once on one shared store, exactly one creates the key.
    public func bootstrapAdminKeyIfNeeded() async throws(SwitchboardError) -> Secret? {
        guard try await storeCall({ try await store.activeAdminKeyCount() }) == 0 else { return nil }
        let secret = Self.generateAPIKeySecret()
        let now = clock.now()
        let key = APIKey(
            id: Identifier.make(.apiKey, at: now), tenantID: .defaultTenant, name: "admin (created on first start)", scopes: [.admin],
            keyHash: APIKey.hash(secret.reveal()), keyPrefix: String(secret.reveal().prefix(8)), createdAt: now)
        return try await storeCall { try await store.insertFirstAdminKey(key) } ? secret : nil
    }

    static func generateAPIKeySecret() -> Secret {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let token = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return Secret("sbk_" + token)
    }
}

/// Rules for tenant names.
public enum TenantValidation {
    public static func isValid(_ tenant: String) -> Bool {
        !tenant.isEmpty && tenant.count <= 64
            && tenant.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }
}
