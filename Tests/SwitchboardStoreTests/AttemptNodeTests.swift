import Foundation
import SwitchboardCore
import Testing

@Suite("The node that made an attempt")
struct AttemptNodeTests {
    typealias F = StoreFixture

    @Test("an attempt keeps the id of the node that made it; a single node records none", arguments: StoreKind.allCases)
    func nodeRoundTrips(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let first = try await fixture.publish(to: [endpoint], at: F.at(0))
            let second = try await fixture.publish(to: [endpoint], at: F.at(1))
            _ = try await fixture.claim(at: F.at(2))
            var record = F.record(first.deliveries[0], at: F.at(3))
            record.attempt.node = "node_a_123456"
            let recorded = try await fixture.store.recordAttempts([record, F.record(second.deliveries[0], at: F.at(3))])
            #expect(recorded.attempts.map(\.node) == ["node_a_123456", nil])
            #expect(try await fixture.store.attempts(deliveryID: first.deliveries[0].id, tenant: F.tenant).map(\.node) == ["node_a_123456"])
            #expect(try await fixture.store.attempts(deliveryID: second.deliveries[0].id, tenant: F.tenant).map(\.node) == [nil])
        }
    }
}
