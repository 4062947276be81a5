/// Changes to an endpoint; `nil` leaves a field as it is.
public struct EndpointPatch: Sendable, Hashable {
    public var name: String?
    public var url: String?
    public var description: String?
    public var eventTypes: [String]?
    public var authMode: Endpoint.AuthMode?
    public var headers: [String: String]?
    public var sourceIDs: [String]?
    public var maxConcurrency: Int?
    /// A new limit of deliveries started per second; 0 removes the limit.
    public var rateLimitPerSecond: Int?

    public init(
        name: String? = nil, url: String? = nil, description: String? = nil, eventTypes: [String]? = nil,
        authMode: Endpoint.AuthMode? = nil, headers: [String: String]? = nil, sourceIDs: [String]? = nil,
        maxConcurrency: Int? = nil, rateLimitPerSecond: Int? = nil
    ) {
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
        if let name { try EndpointValidation.name(name) }
        if let url { try EndpointValidation.url(url) }
        if let description { try EndpointValidation.description(description) }
        if let eventTypes { try EndpointValidation.eventTypes(eventTypes) }
        if let headers { try EndpointValidation.headers(headers) }
        if let maxConcurrency { try EndpointValidation.maxConcurrency(maxConcurrency) }
        if let rateLimitPerSecond { try EndpointValidation.rateLimit(rateLimitPerSecond, clearable: true) }
    }

    /// `endpoint` with the patch applied.
    public func applied(to endpoint: Endpoint) -> Endpoint {
        var updated = endpoint
        if let name { updated.name = name }
        if let url { updated.url = url }
        if let description { updated.description = description }
        if let eventTypes { updated.eventTypes = eventTypes }
        if let authMode { updated.authMode = authMode }
        if let headers {
            // A value sent back as the API showed it (masked) keeps the stored value, so that
            // read-modify-write clients do not overwrite a token with the mask.
            updated.headers = headers.reduce(into: [String: String]()) { result, header in
                let kept = header.value == Endpoint.redactedHeaderValue ? endpoint.headers[header.key] : nil
                result[header.key] = kept ?? header.value
            }
        }
        if let sourceIDs { updated.sourceIDs = sourceIDs }
        if let maxConcurrency { updated.maxConcurrency = maxConcurrency }
        if let rateLimitPerSecond { updated.rateLimitPerSecond = rateLimitPerSecond == 0 ? nil : rateLimitPerSecond }
        return updated
    }
}
