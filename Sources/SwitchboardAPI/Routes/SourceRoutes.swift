import Foundation
import Hummingbird
import SwitchboardCore

/// `/v1/sources`: inbound sources, their destinations and the replay of their events.
/// Reads need `read`, everything else `write`.
struct SourceRoutes {
    let switchboard: Switchboard
    /// Where the public ingest URLs point: `<baseURL>/in/<slug>`.
    let baseURL: String
    static let bodyLimit = 64 * 1024

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.post("sources") { request, context in try await create(request, context) }
        group.get("sources") { request, context in
            let key = try context.require(.read)
            let page = try ListPage(try await switchboard.sources(tenant: key.tenantID), request: request) {
                ListPage<Source>.key($0.createdAt, $0.id)
            }
            return JSONCoding.response(
                .ok, SourceListDTO(sources: page.items.map { SourceDTO($0, baseURL: baseURL) }, nextCursor: page.nextCursor))
        }
        group.get("sources/:id") { _, context in
            let key = try context.require(.read)
            return JSONCoding.response(.ok, SourceDTO(try await switchboard.source(id: try context.id, tenant: key.tenantID), baseURL: baseURL))
        }
        group.patch("sources/:id") { request, context in try await update(request, context) }
        group.delete("sources/:id") { _, context in
            let key = try context.require(.write)
            try await switchboard.deleteSource(id: try context.id, tenant: key.tenantID)
            return Response(status: .noContent)
        }
        group.post("sources/:id/rotate-secret") { request, context in
            let key = try context.require(.write)
            let body = try await RequestBody.read(request, limit: Self.bodyLimit, allowEmpty: true)
            let newSecret = try body.string("signing_secret")
            let source = try await switchboard.rotateSourceSecret(
                id: try context.id, tenant: key.tenantID, newSecret: newSecret, grace: try body.int("grace_seconds").map(TimeInterval.init))
            return JSONCoding.response(.ok, SourceDTO(source, baseURL: baseURL, revealingSecret: newSecret == nil))
        }
        group.get("sources/:id/destinations") { request, context in
            let key = try context.require(.read)
            let page = try ListPage(try await switchboard.destinations(ofSource: try context.id, tenant: key.tenantID), request: request) {
                ListPage<Endpoint>.key($0.createdAt, $0.id)
            }
            return JSONCoding.response(.ok, EndpointListDTO(endpoints: page.items.map { EndpointDTO($0) }, nextCursor: page.nextCursor))
        }
        group.post("sources/:id/destinations") { request, context in
            let key = try context.require(.write)
            let body = try await RequestBody.read(request, limit: Self.bodyLimit)
            let endpoint = try await switchboard.addDestination(
                toSource: try context.id, tenant: key.tenantID, draft: try EndpointRoutes.draft(from: body))
            return JSONCoding.response(.created, EndpointDTO(endpoint, revealingSecret: true))
        }
        group.post("sources/:id/events/:event_id/replay") { request, context in
            let key = try context.require(.write)
            let body = try await RequestBody.read(request, limit: Self.bodyLimit, allowEmpty: true)
            let eventID = try context.parameters.require("event_id")
            let result = try await switchboard.replaySourceEvent(
                sourceID: try context.id, eventID: eventID, tenant: key.tenantID, endpointIDs: try body.strings("endpoint_ids"))
            return JSONCoding.response(
                .accepted,
                SourceReplayResponseDTO(
                    eventId: result.event.id, replayOf: eventID, queued: result.deliveries.count,
                    deliveryIds: result.deliveries.map(\.id), endpointIds: result.deliveries.map(\.endpointID)))
        }
    }

    /// `POST /v1/sources`.
    private func create(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.write)
        let body = try await RequestBody.read(request, limit: Self.bodyLimit)
        let name = try body.requiredString("name")
        guard let provider = try body.enumValue("provider", SourceProvider.self) else { throw APIError.invalid("provider", "is required") }
        let secret = try body.string("signing_secret")
        let draft = SourceDraft(
            name: name, provider: provider, signingSecret: secret, hmacOptions: try hmacOptions(in: body) ?? GenericHMACOptions(),
            retentionDays: try body.int("retention_days"))
        let source = try await switchboard.createSource(draft, tenant: key.tenantID)
        return JSONCoding.response(.created, SourceDTO(source, baseURL: baseURL, revealingSecret: secret == nil && provider != .none))
    }

    /// `PATCH /v1/sources/{id}`: `name`, `retention_days` (`null` returns to the global default), `hmac`.
    private func update(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.write)
        let body = try await RequestBody.read(request, limit: Self.bodyLimit)
        let retention: Int?? = body.fields.keys.contains("retention_days") ? .some(try body.int("retention_days")) : .none
        let patch = SourcePatch(name: try body.string("name"), retentionDays: retention, hmacOptions: try hmacOptions(in: body))
        let source = try await switchboard.updateSource(id: try context.id, tenant: key.tenantID, patch: patch)
        return JSONCoding.response(.ok, SourceDTO(source, baseURL: baseURL))
    }

    /// The `hmac` object: `signature_header`, `encoding` (`hex` or `base64`), `event_type_header`, `id_header`.
    private func hmacOptions(in body: RequestBody) throws -> GenericHMACOptions? {
        switch body.value("hmac") {
        case nil: return nil
        case .object(let fields)?:
            let options = RequestBody(fields: fields)
            do {
                return GenericHMACOptions(
                    signatureHeader: try options.string("signature_header") ?? "x-signature",
                    encoding: try options.enumValue("encoding", GenericHMACOptions.Encoding.self) ?? .hex,
                    eventTypeHeader: try options.string("event_type_header"), idHeader: try options.string("id_header"))
            } catch let error as APIError {
                throw APIError(status: error.status, code: error.code, message: "hmac.\(error.message)")
            }
        case let other?: throw APIError.invalid("hmac", "must be an object, not \(other.typeName)")
        }
    }
}
