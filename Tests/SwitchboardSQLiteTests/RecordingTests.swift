import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

@Suite("Recording attempts")
struct RecordingTests {
    typealias F = StoreFixture

    /// Two endpoints and one event delivered to both, claimed at t+1.
    static func twoWay(_ fixture: StoreFixture) async throws -> (event: Event, a: Delivery, b: Delivery, endpoints: [Endpoint]) {
        let a = try await fixture.endpoint("a", createdAt: F.at(-2))
        let b = try await fixture.endpoint("b", createdAt: F.at(-1))
        let published = try await fixture.publish(to: [a, b], at: F.at(0))
        _ = try await fixture.claim(at: F.at(1))
        return (published.event, published.deliveries[0], published.deliveries[1], [a, b])
    }

    @Test("the delivery takes the new state, attempt number, due date and last result, and loses its lease")
    func deliveryUpdate() async throws {
        try await F.with { fixture in
            let setup = try await Self.twoWay(fixture)
            let record = F.record(setup.a, number: 3, status: nil, errorClass: "timeout", at: F.at(5), state: .scheduled, next: F.at(305))

            let changes = try await fixture.store.recordAttempts([record])

            #expect(changes.isEmpty, "a retry keeps the event QUEUED")
            let stored = try #require(try await fixture.store.delivery(id: setup.a.id, tenant: F.tenant))
            #expect(stored.state == .scheduled)
            #expect(stored.attemptCount == 3)
            #expect(stored.nextAttemptAt == F.at(305))
            #expect(stored.leaseExpiresAt == nil)
            #expect(stored.lastStatusCode == nil && stored.lastError == "timeout")
            #expect(stored.updatedAt == F.at(5))
            #expect(try await fixture.store.attempts(deliveryID: setup.a.id, tenant: F.tenant) == [record.attempt])
        }
    }

    @Test("event status: QUEUED until every delivery is finished, then DELIVERED, and the change is returned once")
    func delivered() async throws {
        try await F.with { fixture in
            let setup = try await Self.twoWay(fixture)
            #expect(try await fixture.store.recordAttempts([F.record(setup.a, at: F.at(2))]).isEmpty)
            #expect(try await fixture.status(of: setup.event) == .queued)

            let changes = try await fixture.store.recordAttempts([F.record(setup.b, at: F.at(3))])
            #expect(changes == [EventStatusChange(eventID: setup.event.id, tenantID: F.tenant, status: .delivered)])
            #expect(try await fixture.status(of: setup.event) == .delivered)
        }
    }

    @Test("event status: PARTIAL when some deliveries failed for good and some succeeded")
    func partial() async throws {
        try await F.with { fixture in
            let setup = try await Self.twoWay(fixture)
            let changes = try await fixture.store.recordAttempts([
                F.record(setup.a, at: F.at(2)), F.record(setup.b, number: 8, status: 500, at: F.at(2), state: .failed),
            ])
            #expect(changes.map(\.status) == [.partial])
            #expect(try await fixture.status(of: setup.event) == .partial)
        }
    }

    @Test("event status: FAILED when every delivery failed for good")
    func failed() async throws {
        try await F.with { fixture in
            let setup = try await Self.twoWay(fixture)
            let changes = try await fixture.store.recordAttempts([
                F.record(setup.a, status: 404, at: F.at(2), state: .failed), F.record(setup.b, status: 500, at: F.at(2), state: .failed),
            ])
            #expect(changes == [EventStatusChange(eventID: setup.event.id, tenantID: F.tenant, status: .failed)])
        }
    }

    @Test("a REPLAYED event keeps its status whatever its deliveries do")
    func replayedIsKept() async throws {
        try await F.with { fixture in
            let setup = try await Self.twoWay(fixture)
            try await fixture.store.setEventStatus(id: setup.event.id, tenant: F.tenant, status: .replayed)
            let changes = try await fixture.store.recordAttempts([F.record(setup.a, at: F.at(2)), F.record(setup.b, at: F.at(2))])
            #expect(changes.isEmpty)
            #expect(try await fixture.status(of: setup.event) == .replayed)
        }
    }

    @Test("setEventStatus ignores another tenant's event")
    func setEventStatusIsScoped() async throws {
        try await F.with { fixture in
            let published = try await fixture.publish(to: [])
            try await fixture.store.setEventStatus(id: published.event.id, tenant: F.otherTenant, status: .replayed)
            #expect(try await fixture.status(of: published.event) == .delivered)
        }
    }

    @Test("endpoint health: a failure sets failing_since once, a success clears it")
    func failingSince() async throws {
        try await F.with { fixture in
            let setup = try await Self.twoWay(fixture)
            let endpointA = setup.endpoints[0]
            func failingSince() async throws -> Date? { try await fixture.store.endpoint(id: endpointA.id, tenant: F.tenant)?.failingSince }

            _ = try await fixture.store.recordAttempts([F.record(setup.a, status: 500, at: F.at(2), state: .scheduled, next: F.at(7))])
            #expect(try await failingSince() == F.at(2))
            _ = try await fixture.claim(at: F.at(7))
            _ = try await fixture.store.recordAttempts([F.record(setup.a, number: 2, status: 500, at: F.at(8), state: .scheduled, next: F.at(300))])
            #expect(try await failingSince() == F.at(2), "the start of the run of failures is kept")
            #expect(try await fixture.store.gauges().failingEndpoints == 1)

            _ = try await fixture.claim(at: F.at(300))
            _ = try await fixture.store.recordAttempts([F.record(setup.a, number: 3, at: F.at(301))])
            #expect(try await failingSince() == nil)
        }
    }

    @Test("a disable health change disables the endpoint and pauses its waiting deliveries in the same transaction")
    func disableChange() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint()
            let inFlight = try await fixture.publish(to: [endpoint], at: F.at(0))
            _ = try await fixture.claim(at: F.at(1))
            let waiting = try await fixture.publish(to: [endpoint], at: F.at(2))

            let changes = try await fixture.store.recordAttempts([
                F.record(inFlight.deliveries[0], status: 410, at: F.at(3), state: .failed, change: .disable(reason: "gone", at: F.at(3)))
            ])

            let stored = try #require(try await fixture.store.endpoint(id: endpoint.id, tenant: F.tenant))
            #expect(!stored.enabled && stored.disabledReason == "gone" && stored.disabledAt == F.at(3))
            #expect(try await fixture.state(of: waiting.deliveries[0]) == .paused)
            #expect(try await fixture.state(of: inFlight.deliveries[0]) == .failed)
            #expect(changes == [EventStatusChange(eventID: inFlight.event.id, tenantID: F.tenant, status: .failed)])
            #expect(try await fixture.status(of: waiting.event) == .queued)
        }
    }

    @Test("a retry recorded after the endpoint was disabled is paused instead of scheduled")
    func retryOfDisabledEndpointIsPaused() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint], at: F.at(0))
            _ = try await fixture.claim(at: F.at(1))
            try await fixture.setEnabledFlag(endpoint, false)
            _ = try await fixture.store.pauseDeliveries(endpointID: endpoint.id, tenant: F.tenant, at: F.at(2))

            _ = try await fixture.store.recordAttempts([
                F.record(published.deliveries[0], status: 503, at: F.at(3), state: .scheduled, next: F.at(8))
            ])

            let stored = try #require(try await fixture.store.delivery(id: published.deliveries[0].id, tenant: F.tenant))
            #expect(stored.state == .paused)
            #expect(stored.attemptCount == 1)
            #expect(try await fixture.claim(at: F.at(10)).isEmpty)
        }
    }

    @Test("a batch touching several events returns each changed event once; recording the same attempt twice stores it once")
    func batchAndReplay() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint()
            let first = try await fixture.publish(to: [endpoint], at: F.at(0))
            let second = try await fixture.publish(to: [endpoint], at: F.at(1))
            _ = try await fixture.claim(at: F.at(2))
            let records = [F.record(first.deliveries[0], at: F.at(3)), F.record(second.deliveries[0], status: 400, at: F.at(3), state: .failed)]

            let changes = try await fixture.store.recordAttempts(records)
            #expect(changes == [
                EventStatusChange(eventID: first.event.id, tenantID: F.tenant, status: .delivered),
                EventStatusChange(eventID: second.event.id, tenantID: F.tenant, status: .failed),
            ])

            #expect(try await fixture.store.recordAttempts(records).isEmpty)
            #expect(try await fixture.store.attempts(eventID: first.event.id, tenant: F.tenant).count == 1)
        }
    }

    @Test("an attempt for a delivery that does not exist is skipped without failing the batch")
    func unknownDelivery() async throws {
        try await F.with { fixture in
            let setup = try await Self.twoWay(fixture)
            var ghost = setup.a
            ghost.id = Identifier.make(.delivery)
            let changes = try await fixture.store.recordAttempts([F.record(ghost, at: F.at(2)), F.record(setup.a, at: F.at(2)), F.record(setup.b, at: F.at(2))])
            #expect(changes.map(\.status) == [.delivered])
        }
    }

    @Test("an event's attempts list oldest first across its deliveries")
    func attemptsOfEvent() async throws {
        try await F.with { fixture in
            let setup = try await Self.twoWay(fixture)
            let late = F.record(setup.a, status: 500, at: F.at(9), state: .scheduled, next: F.at(20))
            let early = F.record(setup.b, at: F.at(4))
            _ = try await fixture.store.recordAttempts([late, early])
            #expect(try await fixture.store.attempts(eventID: setup.event.id, tenant: F.tenant).map(\.id) == [early.attempt.id, late.attempt.id])
        }
    }
}
