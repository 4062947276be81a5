import Foundation
import SwitchboardAPI
import SwitchboardCore
import Testing

@Suite("List limit and cursor")
struct ListPagingTests {
    /// Walks `path` two items at a time and returns the ids in order (none repeated).
    static func walk(_ api: APIHarness, _ path: String, field: String, key: String? = nil) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let url = "\(path)\(separator)limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try await api.get(url, key: key)
            #expect(response.status == .ok, "\(url): \(response.body)")
            let page = try response.json()
            let items = try #require(page[field]?.array)
            #expect(items.count <= 2)
            ids += items.compactMap { $0["id"]?.string }
            cursor = page["next_cursor"]?.string
            pages += 1
        } while cursor != nil && pages < 20
        return ids
    }

    @Test("every list route honours limit and cursor")
    func everyList() async throws {
        try await APIHarness.with { api in
            var endpointIDs: [String] = []
            for index in 0..<5 { endpointIDs.append(try #require(try await api.createEndpoint(name: "e\(index)")["id"]?.string)) }
            #expect(try await Self.walk(api, "/v1/endpoints", field: "endpoints").sorted() == endpointIDs.sorted())

            var sourceIDs: [String] = []
            for index in 0..<3 {
                let source = try await api.post("/v1/sources", #"{"name":"s\#(index)","provider":"none"}"#).json()
                sourceIDs.append(try #require(source["id"]?.string))
            }
            #expect(try await Self.walk(api, "/v1/sources", field: "sources").sorted() == sourceIDs.sorted())

            var destinationIDs: [String] = []
            for index in 0..<3 {
                let destination = try await api.post("/v1/sources/\(sourceIDs[0])/destinations", #"{"url":"https://d.example/\#(index)"}"#)
                destinationIDs.append(try #require(try destination.json()["id"]?.string))
            }
            #expect(try await Self.walk(api, "/v1/sources/\(sourceIDs[0])/destinations", field: "endpoints").sorted() == destinationIDs.sorted())

            let keyIDs = try await api.switchboard.apiKeys(tenant: .defaultTenant).map(\.id)
            #expect(try await Self.walk(api, "/v1/api-keys", field: "api_keys", key: api.keys.admin).sorted() == keyIDs.sorted())

            let published = try await api.publish()
            let deliveryID = try #require(published["delivery_ids"]?[0]?.string)
            for _ in 0..<3 { try await api.recordAttempt(deliveryID: deliveryID, statusCode: 500, final: false) }
            let attemptIDs = try await api.switchboard.attempts(deliveryID: deliveryID, tenant: .defaultTenant).map(\.id)
            #expect(attemptIDs.count == 3)
            #expect(try await Self.walk(api, "/v1/deliveries/\(deliveryID)/attempts", field: "attempts") == attemptIDs)

            for _ in 0..<4 { try await api.publish() }
            let eventIDs = try await Self.walk(api, "/v1/events", field: "events")
            #expect(eventIDs.count == 5 && Set(eventIDs).count == 5)
        }
    }

    @Test("limit out of range and foreign cursors are 422")
    func validation() async throws {
        try await APIHarness.with { api in
            for path in ["/v1/endpoints?limit=0", "/v1/sources?limit=101", "/v1/endpoints?cursor=%25%25", "/v1/events?cursor=bm9wZQ"] {
                let response = try await api.get(path)
                #expect(response.status == .unprocessableContent, "\(path)")
                #expect(response.errorCode == "validation_failed")
            }
        }
    }
}
