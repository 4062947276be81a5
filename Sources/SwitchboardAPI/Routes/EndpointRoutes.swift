import Foundation
import Hummingbird
import SwitchboardCore

/// `/v1/endpoints`: create, list, read, update, delete, disable, enable, rotate the secret,
/// recover failed deliveries. Reads need `read`, everything else `write`.
struct EndpointRoutes {
    let switchboard: Switchboard
    /// Endpoint bodies are small; anything larger is refused while it is read.
    static let bodyLimit = 64 * 1024

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.post("endpoints") { request, context in try await create(request, context) }
        group.get("endpoints") { request, context in
            let key = try context.require(.read)
            let page = try ListPage(try await switchboard.endpoints(tenant: key.tenantID), request: request) {
                ListPage<Endpoint>.key($0.createdAt, $0.id)
            }
            return JSONCoding.response(.ok, EndpointListDTO(endpoints: page.items.map { EndpointDTO($0) }, nextCursor: page.nextCursor))
        }
        group.get("endpoints/:id") { _, context in
            let key = try context.require(.read)
            return JSONCoding.response(.ok, EndpointDTO(try await switchboard.endpoint(id: try context.id, tenant: key.tenantID)))
        }
        group.patch("endpoints/:id") { request, context in try await update(request, context) }
        group.delete("endpoints/:id") { _, context in
            let key = try context.require(.write)
            try await switchboard.deleteEndpoint(id: try context.id, tenant: key.tenantID)
            return Response(status: .noContent)
        }
        group.post("endpoints/:id/disable") { _, context in
            let key = try context.require(.write)
            return JSONCoding.response(.ok, EndpointDTO(try await switchboard.disableEndpoint(id: try context.id, tenant: key.tenantID)))
        }
        group.post("endpoints/:id/enable") { _, context in
            let key = try context.require(.write)
            return JSONCoding.response(.ok, EndpointDTO(try await switchboard.enableEndpoint(id: try context.id, tenant: key.tenantID)))
        }
        group.post("endpoints/:id/rotate-secret") { request, context in
            let key = try context.require(.write)
            let body = try await RequestBody.read(request, limit: Self.bodyLimit, allowEmpty: true)
            let grace = try body.int("grace_seconds")
            let endpoint = try await switchboard.rotateSecret(
                endpointID: try context.id, tenant: key.tenantID, grace: grace.map(TimeInterval.init))
            return JSONCoding.response(.ok, EndpointDTO(endpoint, revealingSecret: true))
        }
        group.post("endpoints/:id/recover") { request, context in
            let key = try context.require(.write)
            let body = try await RequestBody.read(request, limit: Self.bodyLimit)
            let since = try body.requiredDate("since")
            let until = try body.date("until")
            let requeued = try await switchboard.recoverEndpoint(id: try context.id, tenant: key.tenantID, since: since, until: until)
            return JSONCoding.response(.accepted, RecoverResponseDTO(requeued: requeued.count, deliveryIds: requeued.map(\.id)))
        }
    }

    /// `POST /v1/endpoints`: `url` is required; `name` defaults to the URL's host so that a
    /// body written for services without names (`url`, `description`, `subscribed_events`)
    /// works as is.
    private func create(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.write)
        let body = try await RequestBody.read(request, limit: Self.bodyLimit)
        let endpoint = try await switchboard.createEndpoint(try Self.draft(from: body), tenant: key.tenantID)
        return JSONCoding.response(.created, EndpointDTO(endpoint, revealingSecret: true))
    }

    /// The endpoint a create body describes (also the body of `POST /v1/sources/{id}/destinations`).
    static func draft(from body: RequestBody) throws -> EndpointDraft {
        let url = try body.requiredString("url")
        return EndpointDraft(
            id: try body.string("id"),
            name: try body.string("name") ?? defaultName(for: url),
            url: url,
            description: try body.string("description") ?? "",
            eventTypes: try eventTypes(in: body) ?? [],
            authMode: try body.enumValue("auth", Endpoint.AuthMode.self) ?? .signature,
            headers: try body.stringMap("headers") ?? [:],
            sourceIDs: try body.strings("source_ids") ?? [],
            maxConcurrency: try body.int("max_concurrency"), rateLimitPerSecond: try body.int("rate_limit_per_second"))
    }

    /// `PATCH /v1/endpoints/{id}`: only the fields present change.
    private func update(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.write)
        let body = try await RequestBody.read(request, limit: Self.bodyLimit)
        let patch = EndpointPatch(
            name: try body.string("name"), url: try body.string("url"), description: try body.string("description"),
            eventTypes: try Self.eventTypes(in: body), authMode: try body.enumValue("auth", Endpoint.AuthMode.self),
            headers: try body.stringMap("headers"), sourceIDs: try body.strings("source_ids"),
            maxConcurrency: try body.int("max_concurrency"), rateLimitPerSecond: try body.int("rate_limit_per_second"))
        let endpoint = try await switchboard.updateEndpoint(id: try context.id, tenant: key.tenantID, patch: patch)
        return JSONCoding.response(.ok, EndpointDTO(endpoint))
    }

    /// `event_types` and its alias `subscribed_events`; when both are given, both count.
    private static func eventTypes(in body: RequestBody) throws -> [String]? {
        let primary = try body.strings("event_types")
        guard let alias = try body.strings("subscribed_events") else { return primary }
        do {
            try EndpointValidation.eventTypes(alias)
        } catch {
            throw APIError.invalid("subscribed_events", String(error.message.drop { $0 != " " }.dropFirst()))
        }
        guard let primary else { return alias }
        return primary + alias.filter { !primary.contains($0) }
    }

    static func defaultName(for url: String) -> String {
        let host = URLComponents(string: url)?.host ?? ""
        return host.isEmpty ? "endpoint" : String(host.prefix(128))
    }
}

/// `GET /v1/endpoints` (and a source's destinations): a page, oldest first.
struct EndpointListDTO: Encodable {
    var endpoints: [EndpointDTO]
    /// Pass as `cursor` for the next page; absent on the last one.
    var nextCursor: String?
}

/// `POST /v1/endpoints/{id}/recover`: how many failed deliveries were requeued, and which.
struct RecoverResponseDTO: Encodable {
    var requeued: Int
    var deliveryIds: [String]
}
