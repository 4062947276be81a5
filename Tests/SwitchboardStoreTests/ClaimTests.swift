import Foundation
import SwitchboardCore
import Testing


@Suite("Claiming due deliveries")
struct ClaimTests {
    typealias F = StoreFixture

    @Test("only due deliveries are claimed, oldest due first, under a lease, with their event and endpoint", arguments: StoreKind.allCases)
    func dueOnly(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let early = try await fixture.publish(to: [endpoint], at: F.at(0))
            let late = try await fixture.publish(to: [endpoint], at: F.at(2))
            let future = try await fixture.publish(to: [endpoint], at: F.at(30))

            let jobs = try await fixture.claim(at: F.at(10), lease: 60)

            #expect(jobs.map(\.delivery.id) == [early.deliveries[0].id, late.deliveries[0].id])
            #expect(jobs.allSatisfy { $0.delivery.state == .inFlight && $0.delivery.leaseExpiresAt == F.at(70) })
            #expect(jobs.map(\.event) == [early.event, late.event])
            #expect(jobs.allSatisfy { $0.endpoint == endpoint })
            let stored = try #require(try await fixture.store.delivery(id: early.deliveries[0].id, tenant: F.tenant))
            #expect(stored == jobs[0].delivery)
            #expect(try await fixture.state(of: future.deliveries[0]) == .pending)
            #expect(try await fixture.claim(at: F.at(10)).isEmpty, "claimed deliveries are not claimed twice")
        }
    }

    @Test("a scheduled retry is claimed once its time has come", arguments: StoreKind.allCases)
    func scheduledRetry(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint], at: F.at(0))
            _ = try await fixture.claim(at: F.at(1))
            _ = try await fixture.store.recordAttempts([
                F.record(published.deliveries[0], status: 503, at: F.at(2), state: .scheduled, next: F.at(300))
            ])
            #expect(try await fixture.claim(at: F.at(299)).isEmpty)
            let jobs = try await fixture.claim(at: F.at(300))
            #expect(jobs.map(\.delivery.id) == [published.deliveries[0].id])
            #expect(jobs.first?.delivery.attemptCount == 1)
        }
    }

    @Test("at most perEndpointLimit per endpoint and limit in all, soonest due first across endpoints", arguments: StoreKind.allCases)
    func caps(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let busy = try await fixture.endpoint("busy", createdAt: F.at(0))
            let quiet = try await fixture.endpoint("quiet", createdAt: F.at(1))
            var busyDeliveries: [Delivery] = []
            for second in 0..<6 { busyDeliveries += try await fixture.publish(to: [busy], at: F.at(Double(second))).deliveries }
            let quietDelivery = try await fixture.publish(to: [quiet], at: F.at(5)).deliveries[0]

            let capped = try await fixture.claim(at: F.at(10), perEndpoint: 2)
            #expect(capped.map(\.delivery.id) == [busyDeliveries[0].id, busyDeliveries[1].id, quietDelivery.id])

            let limited = try await fixture.claim(at: F.at(10), limit: 1, perEndpoint: 2)
            #expect(limited.map(\.delivery.id) == [busyDeliveries[2].id])
        }
    }

    @Test("excluded endpoints are skipped, their deliveries left pending", arguments: StoreKind.allCases)
    func exclusions(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let saturated = try await fixture.endpoint("saturated", createdAt: F.at(0))
            let free = try await fixture.endpoint("free", createdAt: F.at(1))
            let published = try await fixture.publish(to: [saturated, free], at: F.at(0))

            let jobs = try await fixture.claim(at: F.at(1), excluding: [saturated.id])

            #expect(jobs.map(\.delivery.endpointID) == [free.id])
            #expect(try await fixture.state(of: published.deliveries[0]) == .pending)
        }
    }

    @Test("deliveries of a disabled endpoint are never claimed, even pending ones", arguments: StoreKind.allCases)
    func disabledSkipped(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint], at: F.at(0))
            try await fixture.setEnabledFlag(endpoint, false)  // not yet paused: the claim must still refuse it

            #expect(try await fixture.claim(at: F.at(1)).isEmpty)
            #expect(try await fixture.state(of: published.deliveries[0]) == .pending)
            #expect(try await fixture.store.nextDueDate() == nil)
        }
    }

    @Test("an expired lease is claimed again; an unexpired one is not", arguments: StoreKind.allCases)
    func leases(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint], at: F.at(0))
            _ = try await fixture.claim(at: F.at(1), lease: 30)  // lease until t+31

            #expect(try await fixture.claim(at: F.at(30)).isEmpty)
            let reclaimed = try await fixture.claim(at: F.at(31), lease: 30)
            #expect(reclaimed.map(\.delivery.id) == [published.deliveries[0].id])
            #expect(reclaimed.first?.delivery.leaseExpiresAt == F.at(61))
        }
    }

    @Test("expired leases count towards the per-endpoint cap, in due order", arguments: StoreKind.allCases)
    func expiredLeasesShareTheCap(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let first = try await fixture.publish(to: [endpoint], at: F.at(0))
            _ = try await fixture.claim(at: F.at(1), lease: 10)
            let second = try await fixture.publish(to: [endpoint], at: F.at(2))

            let jobs = try await fixture.claim(at: F.at(20), perEndpoint: 1)
            #expect(jobs.map(\.delivery.id) == [first.deliveries[0].id])
            #expect(try await fixture.state(of: second.deliveries[0]) == .pending)
        }
    }

    @Test("nextDueDate is the earliest due delivery or lease expiry of an enabled endpoint", arguments: StoreKind.allCases)
    func nextDueDate(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            #expect(try await fixture.store.nextDueDate() == nil)
            let endpoint = try await fixture.endpoint("on", createdAt: F.at(0))
            let disabled = try await fixture.endpoint("off", enabled: false, createdAt: F.at(1))
            try await fixture.publish(to: [disabled], at: F.at(5))
            #expect(try await fixture.store.nextDueDate() == nil, "paused deliveries are not due")

            let published = try await fixture.publish(to: [endpoint], at: F.at(40))
            try await fixture.publish(to: [endpoint], at: F.at(50))
            #expect(try await fixture.store.nextDueDate() == F.at(40))

            _ = try await fixture.claim(at: F.at(45), limit: 1, lease: 10)  // claims the t+40 one until t+55
            #expect(try await fixture.store.nextDueDate() == F.at(50))
            _ = try await fixture.store.recordAttempts([F.record(published.deliveries[0], at: F.at(46))])
            _ = try await fixture.claim(at: F.at(50), lease: 5)
            #expect(try await fixture.store.nextDueDate() == F.at(55), "the lease expiry")
        }
    }
}
