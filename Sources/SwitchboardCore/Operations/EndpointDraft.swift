import Foundation

/// The fields of a new endpoint, validated before anything is stored.
public struct EndpointDraft: Sendable, Hashable {
    public var id: String?
    public var name: String
    public var url: String
    public var description: String
    public var eventTypes: [String]
    public var authMode: Endpoint.AuthMode
    public var headers: [String: String]
    public var sourceIDs: [String]
    public var maxConcurrency: Int?
    /// Most deliveries started per second; `nil` for no limit.
    public var rateLimitPerSecond: Int?

    public init(
        id: String? = nil, name: String, url: String, description: String = "", eventTypes: [String] = [],
        authMode: Endpoint.AuthMode = .signature, headers: [String: String] = [:], sourceIDs: [String] = [],
        maxConcurrency: Int? = nil, rateLimitPerSecond: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.authMode = authMode
        self.headers = headers
        self.sourceIDs = sourceIDs
        self.maxConcurrency = maxConcurrency
        self.rateLimitPerSecond = rateLimitPerSecond
    }

    /// Throws a ``SwitchboardError`` naming the first invalid field.
    public func validate() throws(SwitchboardError) {
        if let id { try EndpointValidation.idShape(id) }
        try EndpointValidation.name(name)
        try EndpointValidation.url(url)
        try EndpointValidation.description(description)
        try EndpointValidation.eventTypes(eventTypes)
        try EndpointValidation.headers(headers)
        if let maxConcurrency { try EndpointValidation.maxConcurrency(maxConcurrency) }
        if let rateLimitPerSecond { try EndpointValidation.rateLimit(rateLimitPerSecond, clearable: false) }
    }
}

/// Field rules shared by creating and updating endpoints.
public enum EndpointValidation {
    /// Most endpoints one tenant may have.
    public static let maxEndpointsPerTenant = 1000
    /// Most custom headers on one endpoint.
    public static let maxHeaders = 32
    /// Most `event_types` entries on one endpoint.
    public static let maxEventTypes = 256

    /// A client-chosen id: `ep_<tenant>.<name>`, the name 1–64 letters, digits, '_' or '-'.
    ///
    /// Ids are one namespace across tenants in the store, so a chosen id carries its tenant:
    /// two tenants' ids can never collide, and generated ids (`ep_<ULID>`, no '.') never
    /// collide with chosen ones. A 409 for a chosen id therefore only ever reveals an id of
    /// the caller's own tenant.
    public static func idShape(_ id: String) throws(SwitchboardError) {
        let allowed = id.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == ".")
        }
        guard id.hasPrefix("ep_"), id.count <= 140, allowed else {
            throw .invalid("id", "a chosen id must be ep_<tenant>.<name>, the name 1–64 letters, digits, '_' or '-'")
        }
    }

    public static func id(_ id: String, tenant: TenantID) throws(SwitchboardError) {
        let prefix = "ep_\(tenant)."
        let name = id.hasPrefix(prefix) ? id.dropFirst(prefix.count) : ""
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
        guard !name.isEmpty, name.count <= 64, allowed else {
            throw .invalid("id", "a chosen id must be \(prefix)<name>, the name 1–64 letters, digits, '_' or '-' (e.g. \(prefix)billing)")
        }
    }

    public static func name(_ name: String) throws(SwitchboardError) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, name.count <= 128 else { throw .invalid("name", "must be 1–128 characters") }
    }

    public static func url(_ url: String) throws(SwitchboardError) {
        guard url.count <= 2048, let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { throw .invalid("url", "must be an absolute http:// or https:// URL with a host, at most 2048 characters") }
        guard components.user == nil, components.password == nil else {
            throw .invalid("url", "must not contain credentials; use auth or headers instead")
        }
    }

    public static func description(_ description: String) throws(SwitchboardError) {
        guard description.count <= 1024 else { throw .invalid("description", "must be at most 1024 characters") }
    }

    public static func eventTypes(_ types: [String]) throws(SwitchboardError) {
        guard types.count <= maxEventTypes else { throw .invalid("event_types", "at most \(maxEventTypes) entries") }
        for type in types where !EventTypeFilter.isValidPattern(type) {
            throw .invalid("event_types", "'\(type.prefix(64))' is not an event type name or a prefix.* wildcard")
        }
    }

    public static func headers(_ headers: [String: String]) throws(SwitchboardError) {
        guard headers.count <= maxHeaders else { throw .invalid("headers", "at most \(maxHeaders) headers") }
        let reserved: Set<String> = ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length", "host", "authorization", "user-agent"]
        for (name, value) in headers {
            let token = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0)) }
            guard token else { throw .invalid("headers", "'\(name.prefix(64))' is not a valid header name") }
            guard !reserved.contains(name.lowercased()) else { throw .invalid("headers", "'\(name)' is set by Switchboard and cannot be overridden") }
            guard !value.contains("\r"), !value.contains("\n"), value.count <= 4096 else {
                throw .invalid("headers", "value of '\(name)' must be one line of at most 4096 characters")
            }
        }
    }

    /// 1–10,000 deliveries per second; in an update, 0 removes the limit.
    public static func rateLimit(_ value: Int, clearable: Bool) throws(SwitchboardError) {
        guard (1...10_000).contains(value) || (clearable && value == 0) else {
            throw .invalid("rate_limit_per_second", clearable ? "must be 1–10000, or 0 to remove the limit" : "must be 1–10000")
        }
    }

    public static func maxConcurrency(_ value: Int) throws(SwitchboardError) {
        guard (1...256).contains(value) else { throw .invalid("max_concurrency", "must be between 1 and 256") }
    }
}
