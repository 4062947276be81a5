import Foundation
import HTTPTypes
import SwitchboardCore
import Testing

@Suite("Direct signed ingest")
struct DirectIngestRoutesTests {
    static let body = #"{"event_type":"invoice.paid","invoice":{"id":"in_1","total":4200}}"#

    func send(
        _ api: APIHarness, to endpointID: String, body: String = body, secret: String, timestamp: Int = Int(Date().timeIntervalSince1970),
        extra: HTTPFields = [:], key: String? = nil
    ) async throws -> APIResponse {
        var headers = extra
        headers[HTTPField.Name("X-Switchboard-Timestamp")!] = String(timestamp)
        headers[HTTPField.Name("X-Switchboard-Signature")!] = DirectIngestSignature.sign(timestamp: timestamp, body: Data(body.utf8), secret: Secret(secret))
        return try await api.request(.post, "/e/\(endpointID)", key: key ?? api.keys.writer, body: body, headers: headers)
    }

    @Test("a body signed with the endpoint's secret is queued for that endpoint alone, with its correlation id")
    func accepted() async throws {
        try await APIHarness.with { api in
            let endpoint = try await api.createEndpoint(url: "https://receiver.example/direct", eventTypes: ["never.matches"])
            let other = try await api.createEndpoint(url: "https://receiver.example/other")
            let id = try #require(endpoint["id"]?.string)
            let response = try await send(
                api, to: id, secret: try #require(endpoint["secret"]?.string),
                extra: [HTTPField.Name("X-Switchboard-Correlation-ID")!: "req-77"])
            #expect(response.status == .accepted)
            let answer = try response.json()
            #expect(answer["status"]?.string == "QUEUED")
            #expect(answer["message"]?.string?.contains(id) == true)
            let detail = try await api.switchboard.eventDetail(id: try #require(answer["id"]?.string), tenant: .defaultTenant)
            #expect(detail.event.eventType == "invoice.paid" && detail.event.origin == .direct)
            #expect(detail.event.correlationID == "req-77")
            #expect(detail.deliveries.map(\.endpointID) == [id])
            #expect(other["id"] != nil)
        }
    }

    @Test("the event type may come from X-Switchboard-Event-Type; without either it is a 422")
    func eventTypeHeader() async throws {
        try await APIHarness.with { api in
            let endpoint = try await api.createEndpoint(url: "https://receiver.example/direct")
            let id = try #require(endpoint["id"]?.string)
            let secret = try #require(endpoint["secret"]?.string)
            let typed = try await send(api, to: id, body: #"{"a":1}"#, secret: secret, extra: [HTTPField.Name("X-Switchboard-Event-Type")!: "thing.happened"])
            #expect(typed.status == .accepted)
            let untyped = try await send(api, to: id, body: #"{"a":1}"#, secret: secret)
            #expect(untyped.status == .unprocessableContent)
            #expect(untyped.errorMessage?.hasPrefix("event_type") == true)
        }
    }

    @Test("a wrong, stale or missing signature is a 401 and nothing is stored")
    func refused() async throws {
        try await APIHarness.with { api in
            let endpoint = try await api.createEndpoint(url: "https://receiver.example/direct")
            let id = try #require(endpoint["id"]?.string)
            let secret = try #require(endpoint["secret"]?.string)
            #expect(try await send(api, to: id, secret: "whsec_someone_else").status == .unauthorized)
            #expect(try await send(api, to: id, secret: secret, timestamp: Int(Date().timeIntervalSince1970) - 600).status == .unauthorized)
            let unsigned = try await api.request(.post, "/e/\(id)", key: api.keys.writer, body: Self.body)
            #expect(unsigned.status == .unauthorized)
            #expect(unsigned.errorCode == "signature_invalid")
            #expect(try await api.switchboard.events(EventQuery(tenant: .defaultTenant)).total == 0)
        }
    }

    @Test("the route needs an API key with write, in the endpoint's tenant")
    func authorization() async throws {
        try await APIHarness.with { api in
            let endpoint = try await api.createEndpoint(url: "https://receiver.example/direct")
            let id = try #require(endpoint["id"]?.string)
            let secret = try #require(endpoint["secret"]?.string)
            let anonymous = try await api.request(.post, "/e/\(id)", key: nil, body: Self.body)
            #expect(anonymous.status == .unauthorized)
            #expect(try await send(api, to: id, secret: secret, key: api.keys.reader).status == .forbidden)
            #expect(try await send(api, to: id, secret: secret, key: api.keys.otherTenant).status == .notFound)
        }
    }
}
