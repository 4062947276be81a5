import Crypto
import Foundation

/// An API key's stored form: never the key itself, only its SHA-256 hash.
public struct APIKey: Sendable, Hashable, Identifiable {
    /// What a key may do. `write` implies `read`; `admin` implies both.
    public enum Scope: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case read, write, admin

        public static func < (lhs: Scope, rhs: Scope) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var id: String
    public var tenantID: TenantID
    public var name: String
    public var scopes: Set<Scope>
    /// Hex SHA-256 of the full key.
    public var keyHash: String
    /// The first characters of the key (`sbk_AbCd`), to recognise it in a list.
    public var keyPrefix: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(
        id: String, tenantID: TenantID, name: String, scopes: Set<Scope>, keyHash: String,
        keyPrefix: String, createdAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.scopes = scopes
        self.keyHash = keyHash
        self.keyPrefix = keyPrefix
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// Whether the key grants `scope`, counting the scopes it implies.
    public func allows(_ scope: Scope) -> Bool {
        scopes.contains { $0 >= scope }
    }

    /// Hex SHA-256 of a presented key, for lookup.
    public static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).hexEncoded
    }
}
