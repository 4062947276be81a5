import Foundation
import SwitchboardCore

/// What a server says about itself and the key a client uses (`GET /v1/server`).
public struct ServerInfo: Sendable, Hashable, Decodable {
    public var version: String
    public var startedAt: Date?
    /// Whether the server delivers (a console-only node or a read-only one does not).
    public var dispatching: Bool
    /// The scopes of the key the client uses.
    public var scopes: [String]
    /// The key's tenant.
    public var tenant: TenantID?

    public init(version: String, startedAt: Date? = nil, dispatching: Bool, scopes: [String], tenant: TenantID? = nil) {
        self.version = version
        self.startedAt = startedAt
        self.dispatching = dispatching
        self.scopes = scopes
        self.tenant = tenant
    }

    /// Whether the key may act (replay, retry, pause, rotate), not only read.
    public var canWrite: Bool { scopes.contains("write") || scopes.contains("admin") }
}
