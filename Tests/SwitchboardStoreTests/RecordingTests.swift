import Foundation
import SwitchboardCore
import Testing


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

    @Test("the delivery takes the new state, attempt number, due date and last result, and loses its lease", arguments: StoreKind.allCases)
    func deliveryUpdate(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let setup = try await Self.twoWay(fixture)
            let record = F.record(setup.a, number: 1, status: nil, errorClass: "timeout", at: F.at(5), state: .scheduled, next: F.at(305))

            let changes = try await fixture.store.recordAttempts([record]).eventStatusChanges

            #expect(changes.isEmpty, "a retry keeps the event QUEUED")
            let stored = try #require(try await fixture.store.delivery(id: setup.a.id, tenant: F.tenant))
            #expect(stored.state == .scheduled)
            #expect(stored.attemptCount == 1)
            #expect(stored.leaseToken == nil)
            #expect(stored.nextAttemptAt == F.at(305))
            #expect(stored.leaseExpiresAt == nil)
            #expect(stored.lastStatusCode == nil && stored.lastError == "timeout")
            #expect(stored.updatedAt == F.at(5))
            #expect(try await fixture.store.attempts(deliveryID: setup.a.id, tenant: F.tenant) == [record.attempt])
        }
    }

    @Test("event status: QUEUED until every delivery is finished, then DELIVERED, and the change is returned once", arguments: StoreKind.allCases)
    func delivered(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let setup = try await Self.twoWay(fixture)
            #expect(try await fixture.store.recordAttempts([F.record(setup.a, at: F.at(2))]).eventStatusChanges.isEmpty)
            #expect(try await fixture.status(of: setup.event) == .queued)

            let changes = try await fixture.store.recordAttempts([F.record(setup.b, at: F.at(3))]).eventStatusChanges
            #expect(changes == [EventStatusChange(eventID: setup.event.id, tenantID: F.tenant, status: .delivered)])
            #expect(try await fixture.status(of: setup.event) == .delivered)
        }
    }

    @Test("event status: PARTIAL when some deliveries failed for good and some succeeded", arguments: StoreKind.allCases)
    func partial(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let setup = try await Self.twoWay(fixture)
            let changes = try await fixture.store.recordAttempts([
                F.record(setup.a, at: F.at(2)), F.record(setup.b, number: 8, status: 500, at: F.at(2), state: .failed),
            ]).eventStatusChanges
            #expect(changes.map(\.status) == [.partial])
            #expect(try await fixture.status(of: setup.event) == .partial)
        }
    }

    @Test("event status: FAILED when every delivery failed for good", arguments: StoreKind.allCases)
    func failed(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let setup = try await Self.twoWay(fixture)
            let changes = try await fixture.store.recordAttempts([
                F.record(setup.a, status: 404, at: F.at(2), state: .failed), F.record(setup.b, status: 500, at: F.at(2), state: .failed),
            ]).eventStatusChanges
            #expect(changes == [EventStatusChange(eventID: setup.event.id, tenantID: F.tenant, status: .failed)])
        }
    }

    @Test("a REPLAYED event keeps its status whatever its deliveries do", arguments: StoreKind.allCases)
    func replayedIsKept(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let setup = try await Self.twoWay(fixture)
            try await fixture.store.setEventStatus(id: setup.event.id, tenant: F.tenant, status: .replayed)
            let changes = try await fixture.store.recordAttempts([F.record(setup.a, at: F.at(2)), F.record(setup.b, at: F.at(2))]).eventStatusChanges
            #expect(changes.isEmpty)
            #expect(try await fixture.status(of: setup.event) == .replayed)
        }
    }

    @Test("setEventStatus ignores another tenant's event", arguments: StoreKind.allCases)
    func setEventStatusIsScoped(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let published = try await fixture.publish(to: [])
            try await fixture.store.setEventStatus(id: published.event.id, tenant: F.otherTenant, status: .replayed)
            #expect(try await fixture.status(of: published.event) == .delivered)
        }
    }

    @Test("endpoint health: a failure sets failing_since once, a success clears it", arguments: StoreKind.allCases)
    func failingSince(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
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

    @Test("a disable health change disables the endpoint and pauses its waiting deliveries in the same transaction", arguments: StoreKind.allCases)
    func disableChange(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let inFlight = try await fixture.publish(to: [endpoint], at: F.at(0))
            _ = try await fixture.claim(at: F.at(1))
            let waiting = try await fixture.publish(to: [endpoint], at: F.at(2))

            let changes = try await fixture.store.recordAttempts([
                F.record(inFlight.deliveries[0], status: 410, at: F.at(3), state: .failed, change: .disable(reason: "gone", at: F.at(3)))
            ]).eventStatusChanges

            let stored = try #require(try await fixture.store.endpoint(id: endpoint.id, tenant: F.tenant))
            #expect(!stored.enabled && stored.disabledReason == "gone" && stored.disabledAt == F.at(3))
            #expect(try await fixture.state(of: waiting.deliveries[0]) == .paused)
            #expect(try await fixture.state(of: inFlight.deliveries[0]) == .failed)
            #expect(changes == [EventStatusChange(eventID: inFlight.event.id, tenantID: F.tenant, status: .failed)])
            #expect(try await fixture.status(of: waiting.event) == .queued)
        }
    }

    @Test("a retry recorded after the endpoint was disabled is paused instead of scheduled", arguments: StoreKind.allCases)
    func retryOfDisabledEndpointIsPaused(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
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

    @Test("a batch touching several events returns each changed event once; recording the same attempt twice stores it once", arguments: StoreKind.allCases)
    func batchAndReplay(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let first = try await fixture.publish(to: [endpoint], at: F.at(0))
            let second = try await fixture.publish(to: [endpoint], at: F.at(1))
            _ = try await fixture.claim(at: F.at(2))
            let records = [F.record(first.deliveries[0], at: F.at(3)), F.record(second.deliveries[0], status: 400, at: F.at(3), state: .failed)]

            let changes = try await fixture.store.recordAttempts(records).eventStatusChanges
            #expect(changes == [
                EventStatusChange(eventID: first.event.id, tenantID: F.tenant, status: .delivered),
                EventStatusChange(eventID: second.event.id, tenantID: F.tenant, status: .failed),
            ])

            #expect(try await fixture.store.recordAttempts(records).eventStatusChanges.isEmpty)
            #expect(try await fixture.store.attempts(eventID: first.event.id, tenant: F.tenant).count == 1)
        }
    }

    @Test("an attempt for a delivery that does not exist is skipped without failing the batch", arguments: StoreKind.allCases)
    func unknownDelivery(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let setup = try await Self.twoWay(fixture)
            var ghost = setup.a
            ghost.id = Identifier.make(.delivery)
            let changes = try await fixture.store.recordAttempts([F.record(ghost, at: F.at(2)), F.record(setup.a, at: F.at(2)), F.record(setup.b, at: F.at(2))]).eventStatusChanges
            #expect(changes.map(\.status) == [.delivered])
        }
    }

    @Test("an event's attempts list oldest first across its deliveries", arguments: StoreKind.allCases)
    func attemptsOfEvent(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let setup = try await Self.twoWay(fixture)
            let late = F.record(setup.a, status: 500, at: F.at(9), state: .scheduled, next: F.at(20))
            let early = F.record(setup.b, at: F.at(4))
            _ = try await fixture.store.recordAttempts([late, early])
            #expect(try await fixture.store.attempts(eventID: setup.event.id, tenant: F.tenant).map(\.id) == [early.attempt.id, late.attempt.id])
        }
    }

    @Test("a send whose lease was taken over is kept as a superseded attempt and never overwrites the new holder's outcome", arguments: StoreKind.allCases)
    func fencedByLeaseToken(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint], at: F.at(0))
            let first = try #require(try await fixture.claim(at: F.at(1), lease: 60).first)
            #expect(try await fixture.claim(at: F.at(30), lease: 60).isEmpty, "no second claim while the lease holds")
            let second = try #require(try await fixture.claim(at: F.at(62), lease: 60).first, "a lapsed lease is claimed again")
            #expect(first.delivery.leaseToken != nil && second.delivery.leaseToken != first.delivery.leaseToken)

            var newHolder = F.record(published.deliveries[0], status: 500, at: F.at(63), state: .scheduled, next: F.at(68))
            newHolder.leaseToken = second.delivery.leaseToken
            var late = F.record(published.deliveries[0], status: 200, at: F.at(64))
            late.leaseToken = first.delivery.leaseToken

            let recording = try await fixture.store.recordAttempts([newHolder, late])

            #expect(recording.attempts.map(\.number) == [1, 2], "attempt numbers stay unique per delivery")
            #expect(recording.attempts.map(\.superseded) == [false, true])
            #expect(recording.deliveryStates == [.scheduled, nil])
            let stored = try #require(try await fixture.store.delivery(id: published.deliveries[0].id, tenant: F.tenant))
            #expect(stored.state == .scheduled && stored.nextAttemptAt == F.at(68) && stored.attemptCount == 1)
            #expect(stored.lastStatusCode == 500, "the late 200 did not overwrite the holder's outcome")
            #expect(try await fixture.status(of: published.event) == .queued)
            let attempts = try await fixture.store.attempts(deliveryID: published.deliveries[0].id, tenant: F.tenant)
            #expect(attempts.map(\.superseded) == [false, true])
        }
    }

    @Test("a released claim is due again at once, unless another claim took it over", arguments: StoreKind.allCases)
    func releasedClaims(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint, try await fixture.endpoint()], at: F.at(0))
            let jobs = try await fixture.claim(at: F.at(1), lease: 60)
            #expect(jobs.count == 2)
            let releases = jobs.map { ClaimRelease(deliveryID: $0.delivery.id, leaseToken: $0.delivery.leaseToken!) }
            _ = try await fixture.claim(at: F.at(70), lease: 60)  // both lapsed and claimed anew
            try await fixture.store.releaseClaims([releases[0]], at: F.at(71))
            #expect(try await fixture.state(of: published.deliveries[0]) == .inFlight, "a stale token releases nothing")

            let current = try await fixture.store.delivery(id: jobs[1].delivery.id, tenant: F.tenant)
            try await fixture.store.releaseClaims([ClaimRelease(deliveryID: jobs[1].delivery.id, leaseToken: current!.leaseToken!)], at: F.at(72))
            let released = try #require(try await fixture.store.delivery(id: jobs[1].delivery.id, tenant: F.tenant))
            #expect(released.state == .pending && released.nextAttemptAt == F.at(72) && released.leaseToken == nil)
            #expect(try await fixture.claim(at: F.at(72)).map(\.delivery.id) == [jobs[1].delivery.id])
        }
    }

    @Test("a Retry-After throttle holds every delivery of the endpoint until it passes", arguments: StoreKind.allCases)
    func throttledEndpoint(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let other = try await fixture.endpoint()
            let first = try await fixture.publish(to: [endpoint], at: F.at(0))
            _ = try await fixture.publish(to: [endpoint, other], at: F.at(0))
            _ = try await fixture.claim(at: F.at(1), perEndpoint: 1)
            var throttled = F.record(first.deliveries[0], status: 429, at: F.at(2), state: .scheduled, next: F.at(32))
            throttled.throttleEndpointUntil = F.at(32)
            _ = try await fixture.store.recordAttempts([throttled])

            #expect(try await fixture.claim(at: F.at(10)).map(\.endpoint.id) == [], "the other endpoint's was claimed at 1; this one is held")
            #expect(try await fixture.store.endpoint(id: endpoint.id, tenant: F.tenant)?.throttledUntil == F.at(32))
            #expect(try await fixture.claim(at: F.at(32)).map(\.endpoint.id) == [endpoint.id, endpoint.id])
        }
    }
}
