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

    @Test("a publish to a caught-up endpoint stores its delivery in flight under a lease and it is sent once")
    func caughtUpEndpointTakesTheHandoff() async throws {
        try await DispatchHarness.with(configuration: Self.configuration) { harness in
            _ = try await harness.endpoint("/ok")
            let first = try await harness.publish()
            #expect(first.deliveries[0].state == .pending, "an endpoint never claimed may have older deliveries waiting")
            try await harness.waitForDelivery(first.deliveries[0].id, toBe: .succeeded)

            let second = try await harness.publish()
            let handed = second.deliveries[0]
            #expect(handed.state == .inFlight && handed.leaseToken != nil && handed.leaseExpiresAt != nil)
            try await harness.waitForDelivery(handed.id, toBe: .succeeded)
            let detail = try await harness.switchboard.eventDetail(id: second.event.id, tenant: .defaultTenant)
            #expect(detail.attempts.map(\.number) == [1] && detail.attempts[0].superseded == false)
            #expect(detail.event.status == .delivered)
            #expect(harness.receiver.requests(to: "/ok").map { $0.headers["webhook-id"] } == [first.event.id, second.event.id])
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
            #expect(fresh.allSatisfy { $0.deliveries[0].state == .pending }, "not handed over while resumed deliveries wait")
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
