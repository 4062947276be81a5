import Foundation
import SwitchboardCore
import Testing

@Suite("Secrets stay secret")
struct SecretExposureTests {
    static let headerToken = "tok_custom-header-value-4d7e19"
    static let sourceSecret = "whsec_given-source-secret-0a9c3f"

    @Test("no secret reaches a response except its one-time reveal, the log, or the database file; header values are masked")
    func noSecretLeaks() async throws {
        let log = CapturedLog()
        try await APIHarness.with(logger: log.logger) { api in
            var responses: [String] = []
            var revealed: [String] = []

            // Create: the generated secret is revealed this once; header values are masked already.
            let created = try await api.post(
                "/v1/endpoints", #"{"url":"https://receiver.example/hooks","name":"orders","headers":{"X-Api-Token":"\#(Self.headerToken)"}}"#)
            #expect(created.status == .created)
            let endpoint = try created.json()
            let id = try #require(endpoint["id"]?.string)
            let firstSecret = try #require(endpoint["secret"]?.string)
            revealed.append(firstSecret)
            #expect(endpoint["headers"] == .object(["X-Api-Token": .string(Endpoint.redactedHeaderValue)]))
            #expect(!created.body.contains(Self.headerToken))

            // Rotate: the new secret is revealed this once.
            let rotated = try await api.post("/v1/endpoints/\(id)/rotate-secret", #"{"grace_seconds":3600}"#)
            #expect(rotated.status == .ok)
            let secondSecret = try #require(try rotated.json()["secret"]?.string)
            revealed.append(secondSecret)
            #expect(!rotated.body.contains(firstSecret) && !rotated.body.contains(Self.headerToken))

            // A patch that sends the masked value back keeps the stored token.
            let patched = try await api.patch("/v1/endpoints/\(id)", #"{"headers":{"X-Api-Token":"\#(Endpoint.redactedHeaderValue)","X-Team":"billing"}}"#)
            #expect(patched.status == .ok)
            responses.append(patched.body)
            let stored = try #require(try await api.store.endpoint(id: id, tenant: .defaultTenant))
            #expect(stored.headers == ["X-Api-Token": Self.headerToken, "X-Team": "billing"])

            // Sources: a given secret is never echoed; a generated one is revealed once.
            let stripe = try await api.post("/v1/sources", #"{"name":"stripe","provider":"stripe","signing_secret":"\#(Self.sourceSecret)"}"#)
            #expect(stripe.status == .created)
            responses.append(stripe.body)
            let partner = try await api.post("/v1/sources", #"{"name":"partner","provider":"standard-webhooks"}"#)
            let partnerSecret = try #require(try partner.json()["signing_secret"]?.string)
            revealed.append(partnerSecret)
            let partnerID = try #require(try partner.json()["id"]?.string)

            // An attempt recorded the way the dispatcher records it.
            let published = try await api.publish()
            let deliveryID = try #require(published["delivery_ids"]?[0]?.string)
            let delivery = try await api.switchboard.delivery(id: deliveryID, tenant: .defaultTenant)
            let event = try await api.switchboard.event(id: delivery.eventID, tenant: .defaultTenant)
            let message = WebhookMessage.make(event: event, endpoint: stored, now: Date(), userAgent: "Switchboard/test")
            #expect(message.headers.contains { $0.value == Self.headerToken }, "the receiver gets the real value")
            let attempt = Attempt(
                id: Identifier.make(.attempt), tenantID: delivery.tenantID, deliveryID: delivery.id, eventID: delivery.eventID,
                endpointID: delivery.endpointID, number: 1, url: stored.url, requestHeaders: message.recordedHeaders, statusCode: 200,
                responseBody: "ok", durationMilliseconds: 3, createdAt: Date())
            _ = try await api.store.recordAttempts([
                AttemptRecord(attempt: attempt, leaseToken: delivery.leaseToken, deliveryState: .succeeded, nextAttemptAt: nil, endpointChange: .succeeded)
            ])
            let attempts = try await api.get("/v1/deliveries/\(deliveryID)/attempts")
            #expect(attempts.status == .ok)
            #expect(attempts.body.contains("x-api-token") && attempts.body.contains(Endpoint.redactedHeaderValue))

            // Every read there is.
            for path in [
                "/v1/endpoints", "/v1/endpoints/\(id)", "/v1/sources", "/v1/sources/\(partnerID)", "/v1/deliveries/\(deliveryID)",
                "/v1/events/\(event.id)", "/v1/events",
            ] {
                let read = try await api.get(path)
                responses.append(read.body)
            }
            responses.append(attempts.body)

            let secrets = revealed + [Self.headerToken, Self.sourceSecret]
            for body in responses {
                for secret in secrets { #expect(!body.contains(secret), "a response shows \(secret.prefix(8))…") }
            }
            for secret in secrets { #expect(!log.text.contains(secret), "the log shows \(secret.prefix(8))…") }
            #expect(!log.text.isEmpty, "the capture works")

            var files = [try Data(contentsOf: URL(fileURLWithPath: api.databasePath))]
            if let wal = try? Data(contentsOf: URL(fileURLWithPath: api.databasePath + "-wal")) { files.append(wal) }
            for secret in secrets {
                #expect(!files.contains { $0.range(of: Data(secret.utf8)) != nil }, "the database file holds \(secret.prefix(8))…")
            }
        }
    }
}
