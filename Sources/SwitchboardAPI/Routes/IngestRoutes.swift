import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore

/// The two ingest doors: `POST /in/{slug}`, public and verified by the source's provider
/// scheme, and `POST /e/{endpoint_id}`, direct signed ingest with an API key.
struct IngestRoutes {
    let switchboard: Switchboard

    func registerPublic(on router: Router<SwitchboardRequestContext>) {
        router.post("in/:slug") { request, context in
            let slug = try context.parameters.require("slug")
            let body = try await Self.rawBody(request, limit: switchboard.configuration.maxPayloadBytes)
            let result = try await switchboard.ingest(slug: slug, request: InboundVerifier.Request(headers: Self.headers(of: request), body: body))
            if result.isDuplicate {
                return JSONCoding.response(
                    .ok, IngestResponseDTO(id: result.event.id, status: result.event.status.rawValue, message: "already received; not delivered again"))
            }
            return JSONCoding.response(
                .accepted,
                IngestResponseDTO(id: result.event.id, status: result.event.status.rawValue, message: "queued for \(result.deliveries.count) destination(s)"))
        }
    }

    func registerDirect(on group: RouterGroup<SwitchboardRequestContext>) {
        group.post(":id") { request, context in
            let key = try context.require(.write)
            let body = try await Self.rawBody(request, limit: switchboard.configuration.maxPayloadBytes)
            let result = try await switchboard.ingestDirect(
                DirectIngestRequest(
                    endpointID: try context.id, tenantID: key.tenantID, body: body,
                    timestamp: request.headers[.switchboardTimestamp], signature: request.headers[.switchboardSignature],
                    eventTypeHeader: request.headers[.switchboardEventType], correlationID: request.headers[.switchboardCorrelationID],
                    idempotencyKey: request.headers[.idempotencyKey]))
            let headers: HTTPFields = result.isDuplicate ? [.idempotentReplayed: "true"] : [:]
            return JSONCoding.response(
                .accepted,
                IngestResponseDTO(id: result.event.id, status: result.event.status.rawValue, message: "queued for delivery to \(try context.id)"),
                headers: headers)
        }
    }

    /// The exact body bytes (signatures cover them); 413 past `limit`, enforced while reading.
    static func rawBody(_ request: Request, limit: Int) async throws -> Data {
        Data(try await request.body.collect(upTo: limit).readableBytesView)
    }

    /// Header names in lower case; of repeated headers, the first.
    static func headers(of request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers where headers[field.name.canonicalName] == nil {
            headers[field.name.canonicalName] = field.value
        }
        return headers
    }
}

extension HTTPField.Name {
    static let switchboardTimestamp = HTTPField.Name("X-Switchboard-Timestamp")!
    static let switchboardSignature = HTTPField.Name("X-Switchboard-Signature")!
    static let switchboardEventType = HTTPField.Name("X-Switchboard-Event-Type")!
    static let switchboardCorrelationID = HTTPField.Name("X-Switchboard-Correlation-ID")!
}
