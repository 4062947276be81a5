import Foundation
import Testing
@testable import SwitchboardCore

@Suite("Per-endpoint slots and claim depth")
struct InFlightLedgerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(_ index: Int, endpoint: String = "ep_a", limit: Int = 2) -> DeliveryJob {
        DeliveryJob(
            delivery: Delivery(
                id: "dlv_\(index)", tenantID: .defaultTenant, eventID: "evt_\(index)", endpointID: endpoint, state: .inFlight,
                leaseExpiresAt: now.addingTimeInterval(180), leaseToken: 7, createdAt: now, updatedAt: now),
            event: Event(id: "evt_\(index)", tenantID: .defaultTenant, eventType: "t", payload: Data(), createdAt: now),
            endpoint: Endpoint(id: endpoint, tenantID: .defaultTenant, name: endpoint, url: "https://x.example", secret: Secret("s"),
                               maxConcurrency: limit, createdAt: now, updatedAt: now))
    }

    @Test("an endpoint runs at most its own concurrency; the rest wait, and what it cannot hold is handed back")
    func perEndpointLimit() {
        let ledger = InFlightLedger()
        let admitted = ledger.admit((0..<12).map { Self.job($0) })
        #expect(admitted.start.count == 2)
        #expect(admitted.release.count == 4, "an endpoint not measured yet is held 4 × its slots deep")
        #expect(ledger.running == 2 && ledger.held == 8)
        #expect(ledger.saturatedEndpoints() == ["ep_a"])
        let other = ledger.admit([Self.job(99, endpoint: "ep_b")])
        #expect(other.start.count == 1, "another endpoint's delivery starts at once")
    }

    @Test("a slow endpoint is held no deeper than its slots: waiting jobs beyond that are handed back")
    func slowEndpointsShrink() {
        let ledger = InFlightLedger()
        _ = ledger.admit((0..<8).map { Self.job($0) })
        let step = ledger.finish(endpointID: "ep_a", .init(duration: 30, succeeded: false, throttled: false), takeNext: true) { _ in true }
        #expect(step.next != nil)
        #expect(step.release.count == 5, "depth is now its 2 slots: one runs on, one takes the freed slot, five go back")
        #expect(ledger.held == 2)
    }

    @Test("after a throttle only one delivery runs until an attempt succeeds")
    func slowStartAfterThrottle() {
        let ledger = InFlightLedger()
        _ = ledger.admit([Self.job(0)])
        let throttled = ledger.finish(endpointID: "ep_a", .init(duration: 0.01, succeeded: false, throttled: true), takeNext: true) { _ in true }
        #expect(throttled.next == nil)
        #expect(ledger.admit((1..<4).map { Self.job($0) }).start.count == 1)
        _ = ledger.finish(endpointID: "ep_a", .init(duration: 0.01, succeeded: true, throttled: false), takeNext: true) { _ in true }
        #expect(ledger.admit([Self.job(9), Self.job(10)]).start.count == 2, "full concurrency again after a success")
    }

    @Test("a job without enough lease left for a whole attempt is handed back, not sent")
    func leaseBudget() {
        let ledger = InFlightLedger()
        _ = ledger.admit((0..<3).map { Self.job($0) })
        let step = ledger.finish(endpointID: "ep_a", nil, takeNext: true) { $0.delivery.id != "dlv_2" }
        #expect(step.next == nil && step.release.map(\.delivery.id) == ["dlv_2"])
        #expect(ledger.running == 1)
    }
}
