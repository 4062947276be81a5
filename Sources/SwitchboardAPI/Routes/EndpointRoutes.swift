import Foundation
import Hummingbird
import SwitchboardCore

/// `/v1/endpoints`: create, list, read, update, delete, disable, enable, rotate the secret, recover.
struct EndpointRoutes {
    let switchboard: Switchboard
    static let bodyLimit = 256 * 1024

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.post("endpoints") { request, context in try await create(request, context) }
        group.get("endpoints") { _, context in
            let key = try context.require(.read)
            let endpoints = try await switchboard.endpoints(tenant: key.tenantID)
            return JSONCoding.response(.ok, ["endpoints": endpoints.map { EndpointDTO($0) }])
        }
        group.get("endpoints/:id") { _, context in
            let key = try context.require(.read)
            return JSONCoding.response(.ok, EndpointDTO(try await switchboard.endpoint(id: try context.parameters.require("id"), tenant: key.tenantID)))
        }
        group.patch("endpoints/:id") { request, context in try await update(request, context) }
        group.delete("endpoints/:id") { _, context in
            let key = try context.require(.write)
            try await switchboard.deleteEndpoint(id: try context.parameters.require("id"), tenant: key.tenantID)
            return Response(status: .noContent)
        }
        group.post("endpoints/:id/disable") { _, context in
            let key = try context.require(.write)
            return JSONCoding.response(.ok, EndpointDTO(try await switchboard.disableEndpoint(id: try context.parameters.require("id"), tenant: key.tenantID)))
        }
        group.post("endpoints/:id/enable") { _, context in
            let key = try context.require(.write)
            return JSONCoding.response(.ok, EndpointDTO(try await switchboard.enableEndpoint(id: try context.parameters.require("id"), tenant: key.tenantID)))
        }
        group.post("endpoints/:id/rotate-secret") { request, context in
            let key = try context.require(.write)
            let (body, _) = try await RequestBody.read(request, limit: Self.bodyLimit, allowEmpty: true)
            let grace = try body.int("grace_seconds")
            let endpoint = try await switchboard.rotateSecret(
                endpointID: try context.parameters.require("id"), tenant: key.tenantID, grace: grace.map(TimeInterval.init))
            return JSONCoding.response(.ok, EndpointDTO(endpoint, revealingSecret: true))
        }
        group.post("endpoints/:id/recover") { request, context in
            let key = try context.require(.write)
            let (body, _) = try await RequestBody.read(request, limit: Self.bodyLimit)
            let since = try body.date("since", required: true)!
            let requeued = try await switchboard.recoverEndpoint(
                id: try context.parameters.require("id"), tenant: key.tenantID, since: since, until: try body.date("until"))
            return JSONCoding.response(.accepted, RecoverResponse(requeued: requeued.count, deliveryIds: requeued.map(\.id)))
        }
    }

    struct RecoverResponse: Encodable {
        var requeued: Int
        var deliveryIds: [String]
    }

    private func create(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.write)
        let (body, _) = try await RequestBody.read(request, limit: Self.bodyLimit)
        let eventTypes = try body.strings("event_types") ?? body.strings("subscribed_events") ?? []
        let draft = EndpointDraft(
            id: try body.string("id"), name: try body.string("name", required: true)!, url: try body.string("url", required: true)!,
            description: try body.string("description") ?? "", eventTypes: eventTypes,
            authMode: try body.enumValue("auth", Endpoint.AuthMode.self) ?? .signature, headers: try body.stringMap("headers") ?? [:],
            maxConcurrency: try body.int("max_concurrency"))
        let endpoint = try await switchboard.createEndpoint(draft, tenant: key.tenantID)
        return JSONCoding.response(.created, EndpointDTO(endpoint, revealingSecret: true))
    }

    private func update(_ request: Request, _ context: SwitchboardRequestContext) async throws -> Response {
        let key = try context.require(.write)
        let (body, _) = try await RequestBody.read(request, limit: Self.bodyLimit)
        let patch = EndpointPatch(
            name: try body.string("name"), url: try body.string("url"), description: try body.string("description"),
            eventTypes: try body.strings("event_types") ?? body.strings("subscribed_events"),
            authMode: try body.enumValue("auth", Endpoint.AuthMode.self), headers: try body.stringMap("headers"),
            maxConcurrency: try body.int("max_concurrency"))
        let endpoint = try await switchboard.updateEndpoint(id: try context.parameters.require("id"), tenant: key.tenantID, patch: patch)
        return JSONCoding.response(.ok, EndpointDTO(endpoint))
    }
}
