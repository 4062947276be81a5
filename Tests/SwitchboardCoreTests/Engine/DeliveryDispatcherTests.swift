import Foundation
import Logging
import SwitchboardSQLite
import Testing
@testable import SwitchboardCore

@Suite("Delivery engine against a real receiver")
struct DeliveryDispatcherTests {
    @Test("an event fans out to every subscribed endpoint, wildcards included, signed over the exact body")
    func fanOutAndSignature() async throws {
        try await DispatchHarness.with { harness in
            let wildcard = try await harness.endpoint("/ok", types: ["order.*"])
            _ = try await harness.endpoint("/fail", types: ["invoice.paid"])
            let everything = try await harness.endpoint("/slow")
            let published = try await harness.publish("order.created", payload: #"{"total":149.0,"currency":"EUR"}"#)
            #expect(Set(published.deliveries.map(\.endpointID)) == [wildcard.id, everything.id])

            let received = try await harness.receiver.waitForRequests(1, on: "/ok").first!
            let body = String(decoding: received.body, as: UTF8.self)
            #expect(body.hasPrefix(#"{"id":"\#(published.event.id)","type":"order.created","timestamp":""#))
            #expect(body.hasSuffix(#","data":{"currency":"EUR","total":149}}"#) || body.hasSuffix(#","data":{"total":149.0,"currency":"EUR"}}"#))
            #expect(received.headers["webhook-id"] == published.event.id)
            #expect(received.headers["content-type"] == "application/json")
            #expect(received.headers["user-agent"] == "Switchboard/\(SwitchboardVersion.current)")
            let timestamp = try #require(Int(received.headers["webhook-timestamp"] ?? ""))
            let expected = WebhookSigner.signature(messageID: published.event.id, timestamp: timestamp, body: received.body, secret: wildcard.secret)
            #expect(received.headers["webhook-signature"] == expected)

            try await harness.receiver.waitForRequests(1, on: "/slow")
            try await harness.waitUntil("the event to be delivered") {
                try await harness.switchboard.event(id: published.event.id, tenant: .defaultTenant).status == .delivered
            }
            #expect(harness.receiver.requests(to: "/fail").isEmpty)
        }
    }

    @Test("failed attempts follow the retry schedule on the injected clock, then the delivery fails")
    func retryScheduleThenFailure() async throws {
        try await DispatchHarness.with { harness in
            _ = try await harness.endpoint("/fail")
            let published = try await harness.publish()
            let deliveryID = published.deliveries[0].id
            let start = harness.clock.now()

            try await harness.receiver.waitForRequests(1, on: "/fail")
            try await harness.waitForDelivery(deliveryID, toBe: .scheduled)
            #expect(try await harness.delivery(deliveryID).nextAttemptAt == start.addingTimeInterval(5))

            harness.clock.advance(by: 4)
            try await Task.sleep(for: .milliseconds(100))
            #expect(harness.receiver.requests(to: "/fail").count == 1, "no retry before it is due")

            harness.clock.advance(by: 1)
            try await harness.receiver.waitForRequests(2, on: "/fail")
            try await harness.waitUntil("the second retry to be scheduled") {
                try await harness.delivery(deliveryID).nextAttemptAt == start.addingTimeInterval(5 + 300)
            }
            harness.clock.advance(by: 300)
            try await harness.receiver.waitForRequests(3, on: "/fail")
            try await harness.waitForDelivery(deliveryID, toBe: .failed)

            let detail = try await harness.switchboard.eventDetail(id: published.event.id, tenant: .defaultTenant)
            #expect(detail.event.status == .failed)
            #expect(detail.attempts.map(\.number) == [1, 2, 3])
            #expect(detail.attempts.allSatisfy { $0.statusCode == 500 && $0.responseBody == "database is down" })
            #expect(detail.attempts.map(\.nextRetryAt) == [start.addingTimeInterval(5), start.addingTimeInterval(305), nil])
        }
    }

    @Test("Retry-After on 429 and 503 sets the next attempt")
    func retryAfter() async throws {
        try await DispatchHarness.with { harness in
            _ = try await harness.endpoint("/throttle")
            _ = try await harness.endpoint("/unavailable")
            let published = try await harness.publish()
            let start = harness.clock.now()
            for delivery in published.deliveries { try await harness.waitForDelivery(delivery.id, toBe: .scheduled) }
            let dueDates = try await published.deliveries.asyncMap { try await harness.delivery($0.id).nextAttemptAt }
            #expect(Set(dueDates) == [start.addingTimeInterval(120), start.addingTimeInterval(30)])
        }
    }

    @Test("410 Gone disables the endpoint and holds its other deliveries")
    func goneDisablesEndpoint() async throws {
        try await DispatchHarness.with { harness in
            let gone = try await harness.endpoint("/gone")
            let first = try await harness.publish()
            try await harness.waitForDelivery(first.deliveries[0].id, toBe: .failed)
            let endpoint = try await harness.switchboard.endpoint(id: gone.id, tenant: .defaultTenant)
            #expect(!endpoint.enabled)
            #expect(endpoint.disabledReason == "gone")
            let second = try await harness.publish()
            #expect(second.deliveries[0].state == .paused)
            #expect(harness.receiver.requests(to: "/gone").count == 1)
        }
    }

    @Test("a disabled endpoint's deliveries wait paused and go out when it is enabled")
    func pauseAndResume() async throws {
        try await DispatchHarness.with { harness in
            let endpoint = try await harness.endpoint("/ok", maxConcurrency: 1)
            try await harness.switchboard.disableEndpoint(id: endpoint.id, tenant: .defaultTenant)
            let published = try await (0..<3).asyncMap { _ in try await harness.publish() }
            try await Task.sleep(for: .milliseconds(100))
            #expect(harness.receiver.requests(to: "/ok").isEmpty)
            for result in published { #expect(try await harness.delivery(result.deliveries[0].id).state == .paused) }

            try await harness.switchboard.enableEndpoint(id: endpoint.id, tenant: .defaultTenant)
            let received = try await harness.receiver.waitForRequests(3, on: "/ok")
            #expect(received.map { $0.headers["webhook-id"] } == published.map(\.event.id), "resumed in publication order")
        }
    }

    @Test("an endpoint failing with no success for the configured window is disabled as failing")
    func autoDisableAfterFailingWindow() async throws {
        var configuration = DispatchHarness.testing
        configuration.autoDisableAfter = 4
        try await DispatchHarness.with(configuration: configuration) { harness in
            let endpoint = try await harness.endpoint("/fail")
            let published = try await harness.publish()
            try await harness.waitForDelivery(published.deliveries[0].id, toBe: .scheduled)
            let failing = try await harness.switchboard.endpoint(id: endpoint.id, tenant: .defaultTenant)
            #expect(failing.enabled && failing.failingSince == harness.clock.now())

            harness.clock.advance(by: 5)
            try await harness.waitUntil("the endpoint to be disabled") {
                try await !harness.switchboard.endpoint(id: endpoint.id, tenant: .defaultTenant).enabled
            }
            let disabled = try await harness.switchboard.endpoint(id: endpoint.id, tenant: .defaultTenant)
            #expect(disabled.disabledReason == "failing")
            #expect(try await harness.delivery(published.deliveries[0].id).state == .paused, "its retry waits, nothing is dropped")
        }
    }

    @Test("bearer endpoints receive the secret as a bearer token and no signature")
    func bearerDelivery() async throws {
        try await DispatchHarness.with { harness in
            let endpoint = try await harness.endpoint("/ok", auth: .bearer)
            _ = try await harness.publish()
            let received = try await harness.receiver.waitForRequests(1, on: "/ok")[0]
            #expect(received.headers["authorization"] == "Bearer \(endpoint.secret.reveal())")
            #expect(received.headers["webhook-signature"] == nil)
        }
    }

    @Test("redirects are not followed and count as failures")
    func redirectNotFollowed() async throws {
        try await DispatchHarness.with { harness in
            _ = try await harness.endpoint("/redirect")
            let published = try await harness.publish()
            try await harness.waitForDelivery(published.deliveries[0].id, toBe: .scheduled)
            #expect(harness.receiver.requests(to: "/ok").isEmpty)
            #expect(try await harness.store.attempts(deliveryID: published.deliveries[0].id, tenant: .defaultTenant).first?.statusCode == 302)
        }
    }

    @Test("a receiver that hangs times out, is retried, and does not hold up other endpoints")
    func slowReceiverDoesNotStarveOthers() async throws {
        var configuration = DispatchHarness.testing
        configuration.requestTimeout = 4  // no hanging slot frees up while the others are delivered
        try await DispatchHarness.with(configuration: configuration) { harness in
            let hanging = try await harness.endpoint("/hang", maxConcurrency: 2)
            _ = try await harness.endpoint("/ok")
            let published = try await (0..<6).asyncMap { _ in try await harness.publish() }
            try await harness.receiver.waitForRequests(6, on: "/ok", timeout: 5)
            #expect(harness.receiver.requests(to: "/hang").count <= 2, "per-endpoint limit of 2")
            let hangingDelivery = try #require(published[0].deliveries.first { $0.endpointID == hanging.id })
            try await harness.waitForDelivery(hangingDelivery.id, toBe: .scheduled)
            let attempt = try #require(try await harness.store.attempts(deliveryID: hangingDelivery.id, tenant: .defaultTenant).first)
            #expect(attempt.errorClass == "timeout")
            #expect(attempt.statusCode == nil)
        }
    }

    @Test("response bodies are kept up to 64 KiB")
    func responseBodyCap() async throws {
        try await DispatchHarness.with { harness in
            _ = try await harness.endpoint("/big")
            let published = try await harness.publish()
            try await harness.waitForDelivery(published.deliveries[0].id, toBe: .succeeded)
            let attempt = try #require(try await harness.store.attempts(deliveryID: published.deliveries[0].id, tenant: .defaultTenant).first)
            #expect(attempt.responseBody?.utf8.count == Attempt.maxResponseBodyBytes)
        }
    }

    @Test("deliveries left in flight by a crashed process are attempted again after restart")
    func crashRecovery() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("switchboard.sqlite").path
        try await TestReceiver.with { receiver in
            // A first process accepts an event and claims its delivery, then dies before sending it.
            let clock = ManualWallClock()
            let crashed = try SQLiteStore(path: path, logger: Logger(label: "test"))
            let first = Switchboard(store: crashed, configuration: DispatchHarness.testing, clock: clock, logger: Logger(label: "test"))
            let endpoint = try await first.createEndpoint(EndpointDraft(name: "r", url: receiver.url("/ok")), tenant: .defaultTenant)
            let published = try await first.publish(PublishRequest(tenantID: .defaultTenant, eventType: "order.created", payload: Data("{}".utf8)))
            let claimed = try await crashed.claimDueDeliveries(ClaimRequest(now: clock.now(), limit: 10, perEndpointLimit: 4, leaseDuration: 3600))
            #expect(claimed.map(\.delivery.id) == published.deliveries.map(\.id))
            #expect(claimed.first?.endpoint.id == endpoint.id)
            #expect(try await crashed.delivery(id: published.deliveries[0].id, tenant: .defaultTenant)?.state == .inFlight)

            // The restarted process finds the delivery in flight under an unexpired lease and attempts it again.
            try await DispatchHarness.with(databasePath: path, receiver: receiver) { harness in
                let received = try await harness.receiver.waitForRequests(1, on: "/ok")
                #expect(received[0].headers["webhook-id"] == published.event.id)
                try await harness.waitForDelivery(published.deliveries[0].id, toBe: .succeeded)
            }
        }
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
