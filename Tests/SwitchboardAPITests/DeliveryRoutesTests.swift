import HTTPTypes
import SwitchboardCore
import Testing

@Suite("Deliveries")
struct DeliveryRoutesTests {
    @Test("a delivery reads with its state and attempts; /attempts lists them first attempt first")
    func readDelivery() async throws {
        try await APIHarness.with { api in
            let endpointID = try #require(try await api.createEndpoint()["id"]?.string)
            let published = try await api.publish()
            let deliveryID = try #require(published["delivery_ids"]?[0]?.string)
            try await api.recordAttempt(deliveryID: deliveryID, statusCode: 500, final: false)
            try await api.recordAttempt(deliveryID: deliveryID, statusCode: 502)

            let delivery = try await api.get("/v1/deliveries/\(deliveryID)").json()
            #expect(delivery["state"]?.string == "failed")
            #expect(delivery["attempt_count"]?.int == 2)
            #expect(delivery["last_status_code"]?.int == 502)
            #expect(delivery["next_attempt_at"] == .null)
            #expect(delivery["endpoint_id"]?.string == endpointID)
            #expect(delivery["event_id"] == published["id"])
            #expect(delivery.keys.isSuperset(of: ["last_error", "created_at", "updated_at"]))

            let attempts = try await api.get("/v1/deliveries/\(deliveryID)/attempts").json()
            #expect(attempts["attempts"]?.array?.compactMap { $0["status_code"]?.int } == [500, 502])
            #expect(attempts["attempts"]?.array?.compactMap { $0["number"]?.int } == [1, 2])
        }
    }

    @Test("retry makes a failed delivery due now and answers 202 with it")
    func retry() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            let deliveryID = try #require(try await api.publish()["delivery_ids"]?[0]?.string)
            try await api.recordAttempt(deliveryID: deliveryID, statusCode: 500)
            let response = try await api.post("/v1/deliveries/\(deliveryID)/retry")
            #expect(response.status == .accepted)
            let delivery = try response.json()
            #expect(delivery["id"]?.string == deliveryID)
            #expect(delivery["state"]?.string == "pending")
            #expect(delivery["next_attempt_at"]?.string != nil)
        }
    }

    @Test("retrying a delivery of a disabled endpoint is 409")
    func retryDisabled() async throws {
        try await APIHarness.with { api in
            let endpointID = try #require(try await api.createEndpoint()["id"]?.string)
            let deliveryID = try #require(try await api.publish()["delivery_ids"]?[0]?.string)
            _ = try await api.post("/v1/endpoints/\(endpointID)/disable")
            let response = try await api.post("/v1/deliveries/\(deliveryID)/retry")
            #expect(response.status == .conflict)
            #expect(response.errorCode == "endpoint_disabled")
        }
    }

    @Test("unknown delivery ids are 404 on all three routes")
    func unknown() async throws {
        try await APIHarness.with { api async throws in
            #expect(try await api.get("/v1/deliveries/dlv_nope").status == .notFound)
            #expect(try await api.get("/v1/deliveries/dlv_nope/attempts").status == .notFound)
            #expect(try await api.post("/v1/deliveries/dlv_nope/retry").status == .notFound)
        }
    }
}
