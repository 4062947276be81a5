import Foundation
import SwitchboardCore
import SwitchboardSQLite
import Testing

@Suite("A publish batch's claim, in its own transaction")
struct PublishClaimTests {
    typealias F = StoreFixture

    static func claim(_ limits: [String: Int], at seconds: TimeInterval) -> PublishClaim {
        PublishClaim(now: F.at(seconds), limits: limits, leaseToken: 41, leaseExpiresAt: F.at(seconds + 60))
    }

    @Test("it takes the endpoint's older due deliveries before the batch's own, up to its limit, under its lease")
    func oldestFirstUpToTheLimit() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint()
            let older = try await fixture.publish(to: [endpoint], at: F.at(0))
            let batch = [F.newEvent(to: [endpoint], at: F.at(5)), F.newEvent(to: [endpoint], at: F.at(5))]

            let commit = try await fixture.store.insertEvents(batch, claiming: Self.claim([endpoint.id: 2], at: 5))

            let ids = commit.outcomes.compactMap { outcome -> String? in
                guard case .inserted(_, let deliveries) = outcome else { return nil }
                return deliveries.first?.id
            }
            #expect(commit.claimed.map(\.delivery.id) == [older.deliveries[0].id, ids[0]])
            #expect(commit.claimed.map(\.event.id) == [older.event.id, batch[0].event.id])
            #expect(commit.claimed.allSatisfy { $0.delivery.state == .inFlight && $0.delivery.leaseToken == 41 })
            #expect(commit.stillWaiting == [endpoint.id], "one of the batch's deliveries is left")
            guard case .inserted(_, let first) = commit.outcomes[0], case .inserted(_, let second) = commit.outcomes[1] else {
                Issue.record("both events inserted")
                return
            }
            #expect(first[0].state == .inFlight && second[0].state == .pending, "the outcomes show what was claimed")
            #expect(try await fixture.state(of: older.deliveries[0]) == .inFlight)
            #expect(try await fixture.store.delivery(id: ids[0], tenant: F.tenant)?.leaseToken == 41)
            #expect(try await fixture.state(of: second[0]) == .pending)
            #expect(try await fixture.claim(at: F.at(6)).map(\.delivery.id) == [ids[1]], "what it left is claimed as usual")
        }
    }

    @Test("it takes nothing not yet due, nor from an endpoint disabled or throttled by then")
    func onlyWhatMayBeSent() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint("open")
            let throttled = try await fixture.endpoint("throttled")
            let disabled = try await fixture.endpoint("disabled")
            let future = F.newEvent(to: [endpoint], at: F.at(30))
            _ = try await fixture.store.insertEvents([future])
            let first = try await fixture.publish(to: [throttled], at: F.at(0))
            var throttle = F.record(first.deliveries[0], status: 429, at: F.at(1), state: .scheduled, next: F.at(2))
            throttle.throttleEndpointUntil = F.at(100)
            _ = try await fixture.store.recordAttempts([throttle])
            _ = try await fixture.store.setEndpointEnabled(id: disabled.id, tenant: F.tenant, enabled: false, reason: "manual", at: F.at(1))

            let batch = [F.newEvent(to: [throttled], at: F.at(5)), F.newEvent(to: [disabled], at: F.at(5))]
            let commit = try await fixture.store.insertEvents(
                batch, claiming: Self.claim([endpoint.id: 5, throttled.id: 5, disabled.id: 5], at: 5))
            #expect(commit.claimed.isEmpty && commit.stillWaiting.isEmpty)
        }
    }
}
