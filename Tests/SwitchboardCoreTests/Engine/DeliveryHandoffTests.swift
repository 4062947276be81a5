import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Fresh deliveries handed from the publish to the dispatcher")
struct DeliveryHandoffTests {
    /// The harness's configuration with a poll too slow to matter: every claim these tests
    /// see is one a publish, a slot or an operator asked for.
    static let configuration = {
        var configuration = DispatchHarness.testing
        configuration.pollInterval = 60
        return configuration
    }()

    @Test("a publish claims its delivery in its own transaction, in flight under a lease, and it is sent once")
    func publishClaimsItsDelivery() async throws {
        try await DispatchHarness.with(configuration: Self.configuration) { harness in
            _ = try await harness.endpoint("/ok")
            var published: [PublishResult] = []
            for _ in 0..<2 {
                let result = try await harness.publish()
                let claimed = result.deliveries[0]
                #expect(claimed.state == .inFlight && claimed.leaseToken != nil && claimed.leaseExpiresAt != nil)
                try await harness.waitForDelivery(claimed.id, toBe: .succeeded)
                published.append(result)
            }
            let detail = try await harness.switchboard.eventDetail(id: published[1].event.id, tenant: .defaultTenant)
            #expect(detail.attempts.map(\.number) == [1] && detail.attempts[0].superseded == false)
            #expect(detail.event.status == .delivered)
            #expect(harness.receiver.requests(to: "/ok").map { $0.headers["webhook-id"] } == published.map(\.event.id))
        }
    }

    @Test("deliveries resumed by an operator go out before events published after it")
    func resumedBacklogKeepsItsPlace() async throws {
        try await DispatchHarness.with(configuration: Self.configuration) { harness in
            let endpoint = try await harness.endpoint("/ok", maxConcurrency: 1)
            let warm = try await harness.publish()
            try await harness.waitForDelivery(warm.deliveries[0].id, toBe: .succeeded)
            try await harness.switchboard.disableEndpoint(id: endpoint.id, tenant: .defaultTenant)
            let held = try await (0..<3).asyncMap { _ in try await harness.publish() }

            try await harness.switchboard.enableEndpoint(id: endpoint.id, tenant: .defaultTenant)
            let fresh = try await (0..<3).asyncMap { _ in try await harness.publish() }
            let received = try await harness.receiver.waitForRequests(7, on: "/ok")
            #expect(received.map { $0.headers["webhook-id"] } == ([warm] + held + fresh).map(\.event.id))
        }
    }

    @Test("handed-over jobs not started when the dispatcher stops go back to the caller, and their room is freed")
    func closingHandsJobsBack() throws {
        let ledger = LedgerBacklogTests.caughtUp()
        let handoff = DeliveryHandoff(wakeSignal: WakeSignal())
        #expect(handoff.reserve([(LedgerBacklogTests.endpoint, 2)], now: LedgerBacklogTests.now) == nil, "closed: nothing reserved")

        handoff.open(ledger: ledger, maxHeld: 100, leaseDuration: 180)
        let reservation = try #require(handoff.reserve([(LedgerBacklogTests.endpoint, 3)], now: LedgerBacklogTests.now))
        #expect(reservation.counts == ["ep_a": 3])
        #expect(reservation.leaseExpiresAt == LedgerBacklogTests.now.addingTimeInterval(180))
        #expect(handoff.handOver([LedgerBacklogTests.job(1), LedgerBacklogTests.job(2)], reservation: reservation).isEmpty)
        #expect(ledger.held == 2, "the reservation no job filled is given back")

        let unstarted = handoff.close()
        #expect(unstarted.map(\.delivery.id) == ["dlv_1", "dlv_2"])
        #expect(ledger.held == 0)
        let late = handoff.handOver([LedgerBacklogTests.job(3)], reservation: reservation)
        #expect(late.map(\.delivery.id) == ["dlv_3"], "after closing, the publish hands its jobs back to the store itself")
    }
}
