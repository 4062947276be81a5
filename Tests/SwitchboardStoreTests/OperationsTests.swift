import Foundation
import SwitchboardCore
import Testing


@Suite("Operator actions and recovery")
struct OperationsTests {
    typealias F = StoreFixture

    @Test("pause holds waiting deliveries; resume makes them due again and claims take them in their original order", arguments: StoreKind.allCases)
    func pauseAndResume(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            var deliveries: [Delivery] = []
            for second in 0..<4 { deliveries += try await fixture.publish(to: [endpoint], at: F.at(Double(second))).deliveries }
            // The first one fails once and is scheduled for much later than the others.
            _ = try await fixture.claim(at: F.at(4), limit: 1)
            _ = try await fixture.store.recordAttempts([F.record(deliveries[0], status: 500, at: F.at(5), state: .scheduled, next: F.at(900))])

            try await fixture.setEnabledFlag(endpoint, false)
            #expect(try await fixture.store.pauseDeliveries(endpointID: endpoint.id, tenant: F.tenant, at: F.at(6)) == 4)
            #expect(try await fixture.store.pauseDeliveries(endpointID: endpoint.id, tenant: F.tenant, at: F.at(6)) == 0)
            #expect(try await fixture.store.gauges().pausedDeliveries == 4)
            #expect(try await fixture.claim(at: F.at(1000)).isEmpty)
            #expect(try await fixture.store.resumeDeliveries(endpointID: endpoint.id, tenant: F.tenant, at: F.at(7)) == 0,
                    "nothing resumes while the endpoint is disabled")

            try await fixture.setEnabledFlag(endpoint, true)
            #expect(try await fixture.store.resumeDeliveries(endpointID: endpoint.id, tenant: F.tenant, at: F.at(10)) == 4)

            let resumed = try await fixture.store.delivery(id: deliveries[0].id, tenant: F.tenant)
            #expect(resumed?.state == .pending && resumed?.nextAttemptAt == F.at(10) && resumed?.attemptCount == 1)
            let claimed = try await fixture.claim(at: F.at(10), limit: 10)
            #expect(claimed.map(\.delivery.id) == deliveries.map(\.id))
        }
    }

    @Test("pause and resume ignore another tenant's endpoint", arguments: StoreKind.allCases)
    func pauseIsScoped(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint])
            #expect(try await fixture.store.pauseDeliveries(endpointID: endpoint.id, tenant: F.otherTenant, at: F.at(1)) == 0)
            #expect(try await fixture.state(of: published.deliveries[0]) == .pending)
        }
    }

    @Test("requeueDelivery makes a finished delivery due now and its event QUEUED again", arguments: StoreKind.allCases)
    func requeueDelivery(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint], at: F.at(0))
            _ = try await fixture.claim(at: F.at(1))
            _ = try await fixture.store.recordAttempts([F.record(published.deliveries[0], status: 500, at: F.at(2), state: .failed)])
            #expect(try await fixture.status(of: published.event) == .failed)

            let requeued = try #require(try await fixture.store.requeueDelivery(id: published.deliveries[0].id, tenant: F.tenant, at: F.at(50)))

            #expect(requeued.state == .pending && requeued.nextAttemptAt == F.at(50) && requeued.attemptCount == 1)
            #expect(try await fixture.store.delivery(id: requeued.id, tenant: F.tenant) == requeued)
            #expect(try await fixture.status(of: published.event) == .queued)
            #expect(try await fixture.claim(at: F.at(50)).map(\.delivery.id) == [requeued.id])
        }
    }

    @Test("requeueDelivery leaves in-flight and cancelled deliveries alone, and is tenant-scoped", arguments: StoreKind.allCases)
    func requeueDeliveryRefusals(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint], at: F.at(0))
            let delivery = published.deliveries[0]
            #expect(try await fixture.store.requeueDelivery(id: delivery.id, tenant: F.otherTenant, at: F.at(1)) == nil)
            #expect(try await fixture.store.requeueDelivery(id: "dlv_missing", tenant: F.tenant, at: F.at(1)) == nil)

            let claimed = try await fixture.claim(at: F.at(1), lease: 60)
            let unchanged = try await fixture.store.requeueDelivery(id: delivery.id, tenant: F.tenant, at: F.at(2))
            #expect(unchanged == claimed.first?.delivery)

            _ = try await fixture.store.deleteEndpoint(id: endpoint.id, tenant: F.tenant, at: F.at(3))
            #expect(try await fixture.store.requeueDelivery(id: delivery.id, tenant: F.tenant, at: F.at(4))?.state == .cancelled)
        }
    }

    @Test("requeueFailedDeliveries takes the endpoint's failed deliveries created in since..<until, nothing else", arguments: StoreKind.allCases)
    func recoverWindow(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint("target", createdAt: F.at(-2))
            let other = try await fixture.endpoint("other", createdAt: F.at(-1))
            var deliveries: [Delivery] = []
            for second in [0.0, 10, 20, 30] { deliveries += try await fixture.publish(to: [endpoint], at: F.at(second)).deliveries }
            let otherDelivery = try await fixture.publish(to: [other], at: F.at(10)).deliveries[0]
            _ = try await fixture.claim(at: F.at(40))
            _ = try await fixture.store.recordAttempts(
                deliveries.map { F.record($0, status: 500, at: F.at(41), state: .failed) }
                    + [F.record(otherDelivery, status: 500, at: F.at(41), state: .failed)])
            _ = try await fixture.store.requeueDelivery(id: deliveries[2].id, tenant: F.tenant, at: F.at(42))  // t+20: pending now

            let requeued = try await fixture.store.requeueFailedDeliveries(
                endpointID: endpoint.id, tenant: F.tenant, since: F.at(10), until: F.at(30), at: F.at(50))

            #expect(requeued.map(\.id) == [deliveries[1].id], "t+0 is before, t+20 is not failed, t+30 is the excluded end")
            #expect(requeued.first?.state == .pending && requeued.first?.nextAttemptAt == F.at(50))
            #expect(try await fixture.state(of: deliveries[0]) == .failed)
            #expect(try await fixture.state(of: deliveries[3]) == .failed)
            #expect(try await fixture.state(of: otherDelivery) == .failed)
            #expect(try await fixture.store.event(id: deliveries[1].eventID, tenant: F.tenant)?.status == .queued)
            #expect(try await fixture.store.requeueFailedDeliveries(
                endpointID: endpoint.id, tenant: F.otherTenant, since: F.at(0), until: F.at(100), at: F.at(50)).isEmpty)
        }
    }

    @Test("after a crash, reopening the file and requeueing in-flight deliveries makes them due again", arguments: StoreKind.allCases)
    func crashRecovery(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint("live", createdAt: F.at(0))
            let disabled = try await fixture.endpoint("disabled", createdAt: F.at(1))
            let published = try await fixture.publish(to: [endpoint, disabled], at: F.at(2))
            let idle = try await fixture.publish(to: [endpoint], at: F.at(500))
            #expect(try await fixture.claim(at: F.at(3), lease: 3600).count == 2)
            try await fixture.setEnabledFlag(disabled, false)

            // A new process opens the same file while the rows are still in flight under unexpired leases.
            let restarted = try await fixture.reopened()
            #expect(try await restarted.requeueInFlight(now: F.at(10)) == 2)

            let live = try #require(try await restarted.delivery(id: published.deliveries[0].id, tenant: F.tenant))
            #expect(live.state == .pending && live.nextAttemptAt == F.at(10) && live.leaseExpiresAt == nil)
            #expect(try await restarted.delivery(id: published.deliveries[1].id, tenant: F.tenant)?.state == .paused)
            #expect(try await restarted.delivery(id: idle.deliveries[0].id, tenant: F.tenant)?.nextAttemptAt == F.at(500))
            let claimed = try await restarted.claimDueDeliveries(ClaimRequest(now: F.at(10), limit: 10, perEndpointLimit: 4, leaseDuration: 60))
            #expect(claimed.map(\.delivery.id) == [published.deliveries[0].id])
            #expect(try await restarted.requeueInFlight(now: F.at(11)) == 1)
        }
    }
}
