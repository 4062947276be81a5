import Foundation
import Synchronization
import Testing
@testable import SwitchboardCore

@Suite("One sender per delivery: leases, fencing and throttles on an injected clock")
struct LeaseFencingTests {
    static let held = TransportResponse(statusCode: 200, duration: 0.001)

    @Test("no second send while the first holds the lease; after it lapses, the late outcome is kept as superseded")
    func secondSendOnlyAfterTheLeaseLapses() async throws {
        let transport = ScriptedTransport()
        transport.holding = true
        try await DispatchHarness.with(transport: transport) { harness in
            let lease = DispatchHarness.testing.leaseDuration
            _ = try await harness.endpoint("/ok")
            let published = try await harness.publish()
            let deliveryID = published.deliveries[0].id
            try await transport.waitForSends(1)

            harness.clock.advance(by: lease - 1)
            try await Task.sleep(for: .milliseconds(200))
            #expect(transport.sent.count == 1, "the lease still holds: no second send")

            harness.clock.advance(by: 2)
            try await transport.waitForSends(2)
            #expect(transport.sent.map { $0.message.headers.first { $0.name == "webhook-id" }?.value } == [published.event.id, published.event.id])

            transport.release(1, with: TransportResponse(statusCode: 500, responseBody: Data("busy".utf8), duration: 0.01))
            try await harness.waitForDelivery(deliveryID, toBe: .scheduled)
            transport.release(0, with: TransportResponse(statusCode: 200, duration: lease))
            try await harness.waitUntil("the late attempt to be recorded") {
                try await harness.switchboard.attempts(deliveryID: deliveryID, tenant: .defaultTenant).count == 2
            }

            let attempts = try await harness.switchboard.attempts(deliveryID: deliveryID, tenant: .defaultTenant)
            #expect(attempts.map(\.number) == [1, 2])
            #expect(attempts.map(\.statusCode) == [500, 200])
            #expect(attempts.map(\.superseded) == [false, true])
            let delivery = try await harness.delivery(deliveryID)
            #expect(delivery.state == .scheduled && delivery.lastStatusCode == 500, "the late 200 did not overwrite the newer outcome")
        }
    }

    @Test("a 429 with Retry-After holds the endpoint's other deliveries, then they resume one at a time, not in a burst")
    func retryAfterHoldsTheEndpoint() async throws {
        let answered = Atomic<Int>(0)
        let transport = ScriptedTransport { _ in
            answered.add(1, ordering: .relaxed).oldValue == 0
                ? TransportResponse(statusCode: 429, retryAfter: "30", duration: 0.001)
                : TransportResponse(statusCode: 200, duration: 0.02)
        }
        var configuration = DispatchHarness.testing
        configuration.endpointConcurrency = 4
        try await DispatchHarness.with(configuration: configuration, transport: transport) { harness in
            let endpoint = try await harness.endpoint("/ok", maxConcurrency: 4)
            let first = try await harness.publish()
            try await transport.waitForSends(1)
            try await harness.waitForDelivery(first.deliveries[0].id, toBe: .scheduled)
            var others: [String] = []
            for _ in 0..<6 { others.append(try await harness.publish().deliveries[0].id) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(transport.sent.count == 1, "nothing is sent to a throttled endpoint")
            #expect(try await harness.switchboard.endpoint(id: endpoint.id, tenant: .defaultTenant).throttledUntil != nil)

            harness.clock.advance(by: 30)
            for id in others { try await harness.waitForDelivery(id, toBe: .succeeded) }
            try await harness.waitForDelivery(first.deliveries[0].id, toBe: .succeeded)
            #expect(transport.sent.count == 8)
        }
    }

    @Test("a refused address fails the delivery at once, without retries")
    func blockedAddressIsNotRetried() async throws {
        let transport = ScriptedTransport { _ in
            .failure(TransportErrorClass.blockedAddress, "127.0.0.1 is loopback (127.0.0.0/8)", duration: 0.001)
        }
        try await DispatchHarness.with(transport: transport) { harness in
            _ = try await harness.endpoint("/ok")
            let published = try await harness.publish()
            try await harness.waitForDelivery(published.deliveries[0].id, toBe: .failed)
            let attempts = try await harness.switchboard.attempts(deliveryID: published.deliveries[0].id, tenant: .defaultTenant)
            #expect(attempts.map(\.errorClass) == ["blocked_address"])
            #expect(attempts.first?.errorMessage?.contains("127.0.0.1") == true)
        }
    }

    @Test("an endpoint's rate limit spaces its deliveries")
    func perEndpointRateLimit() async throws {
        let transport = ScriptedTransport()
        try await DispatchHarness.with(transport: transport) { harness in
            let limited = try await harness.switchboard.createEndpoint(
                EndpointDraft(name: "limited", url: "https://limited.example/hook", eventTypes: ["limited.*"], rateLimitPerSecond: 20),
                tenant: .defaultTenant)
            _ = try await harness.switchboard.createEndpoint(
                EndpointDraft(name: "free", url: "https://free.example/hook", eventTypes: ["free.*"]), tenant: .defaultTenant)
            for _ in 0..<10 { _ = try await harness.publish("limited.tick") }
            for _ in 0..<10 { _ = try await harness.publish("free.tick") }
            try await transport.waitForSends(20)
            let sends = zip(transport.sent, transport.sentAt)
            let limitedTimes = sends.filter { $0.0.endpointID == limited.id }.map(\.1)
            let span = limitedTimes.first!.duration(to: limitedTimes.last!)
            #expect(span >= .milliseconds(9 * 50 - 20), "10 deliveries at 20/s take at least 9 intervals of 50 ms; took \(span)")
            #expect(sends.filter { $0.0.endpointID != limited.id }.count == 10)
        }
    }
}
