import Foundation
import SwitchboardCore

extension SwitchboardClient {
    /// The server's version and the key's scopes and tenant.
    public func serverInfo() async throws(ClientError) -> ServerInfo {
        try await send(request(.GET, "/v1/server"), as: ServerInfo.self)
    }

    /// Every endpoint of the key's tenant, oldest first (all pages).
    public func endpoints(tenant: TenantID) async throws(ClientError) -> [Endpoint] {
        var endpoints: [Endpoint] = []
        var cursor: String?
        for _ in 0..<1000 {
            let page = try await send(request(.GET, "/v1/endpoints", query: [("limit", "100"), ("cursor", cursor)]), as: EndpointListWire.self)
            endpoints += page.endpoints.map { $0.endpoint(tenantID: tenant) }
            guard let next = page.nextCursor else { break }
            cursor = next
        }
        return endpoints
    }

    /// Every inbound source of the key's tenant, oldest first (all pages).
    public func sources(tenant: TenantID) async throws(ClientError) -> [Source] {
        var sources: [Source] = []
        var cursor: String?
        for _ in 0..<1000 {
            let page = try await send(request(.GET, "/v1/sources", query: [("limit", "100"), ("cursor", cursor)]), as: SourceListWire.self)
            sources += page.sources.map { $0.source(tenantID: tenant) }
            guard let next = page.nextCursor else { break }
            cursor = next
        }
        return sources
    }

    /// A page of events, newest first, filtered in the store. A window larger than the API's
    /// page (100) is read as consecutive pages.
    public func events(_ query: EventQuery, tenant: TenantID) async throws(ClientError) -> Page<Event> {
        var items: [Event] = []
        var total = 0
        var offset = query.offset
        let end = query.offset + max(query.limit, 1)
        repeat {
            let limit = min(100, end - offset)
            var parameters: [(String, String?)] = [
                ("limit", String(limit)), ("offset", String(offset)), ("endpoint_id", query.endpointID), ("source_id", query.sourceID),
                ("status", query.status?.rawValue), ("event_type", query.eventType),
            ]
            parameters += Self.searchParameters(query)
            let page = try await send(request(.GET, "/v1/events", query: parameters), as: EventPageWire.self)
            items += page.events.map { $0.event(tenantID: tenant) }
            total = page.total
            offset += limit
            if page.events.count < limit { break }
        } while offset < end
        return Page(items: items, total: total)
    }

    /// The event with its payload, deliveries and attempts.
    public func eventDetail(id: String, tenant: TenantID) async throws(ClientError) -> EventDetail {
        try await send(request(.GET, "/v1/events/\(Self.escape(id))"), as: EventDetailWire.self).detail(tenantID: tenant)
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }
}
