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

@Suite("Publish claims, and which endpoints are caught up")
struct LedgerBacklogTests {
    static func job(_ index: Int, endpoint: String = "ep_a") -> DeliveryJob { InFlightLedgerTests.job(index, endpoint: endpoint, limit: 2) }
    static let endpoint = job(0).endpoint
    static let now = InFlightLedgerTests.now
    static let finishedFast = InFlightLedger.Finished(duration: 0.01, succeeded: true, throttled: false)

    /// A ledger whose endpoint `ep_a` one claim round found with `claimed` jobs and nothing more.
    static func caughtUp(claimed: Int = 0) -> InFlightLedger {
        let ledger = InFlightLedger(tracksBacklogs: true)
        ledger.noteBacklog(["ep_a"])
        let round = ledger.beginClaim()
        _ = ledger.admitClaim((0..<claimed).map { job($0) }, round: round, excluded: [], complete: true, perEndpointLimit: 32)
        return ledger
    }

    /// Whether `ep_a`'s slot asks for a claim when it runs dry: it does only while behind.
    static func asksForClaims(_ ledger: InFlightLedger) -> Bool {
        _ = ledger.admit([job(999)])
        return ledger.finish(endpointID: "ep_a", finishedFast, takeNext: true) { _ in true }.wantsMore
    }

    @Test("a publish may claim up to an endpoint's room, which counts as held until adopted or cancelled")
    func publishClaimsTakeTheRoom() {
        let ledger = InFlightLedger(tracksBacklogs: true)
        #expect(ledger.reserveHandoff(Self.endpoint, count: 10, maxHeld: 100, now: Self.now) == 8, "an endpoint not measured yet: 4 × its 2 slots")
        #expect(ledger.held == 8)
        #expect(ledger.reserveHandoff(Self.endpoint, count: 1, maxHeld: 100, now: Self.now) == 0)
        let adopted = ledger.adoptHandoff([Self.job(1), Self.job(2), Self.job(3)])
        #expect(adopted.start.count == 2 && adopted.release.isEmpty)
        ledger.cancelHandoff(["ep_a": 5])
        #expect(ledger.held == 3 && ledger.running == 2)
    }

    @Test("the dispatcher's overall limit bounds publish claims too")
    func handoffRespectsTheOverallLimit() {
        #expect(InFlightLedger(tracksBacklogs: true).reserveHandoff(Self.endpoint, count: 10, maxHeld: 3, now: Self.now) == 3)
    }

    @Test("a disabled, throttled or probing endpoint gets no publish claim")
    func noHandoffWhenHeldBack() {
        var disabled = Self.endpoint
        disabled.enabled = false
        var throttled = Self.endpoint
        throttled.throttledUntil = Self.now.addingTimeInterval(30)
        let ledger = Self.caughtUp(claimed: 1)
        #expect(ledger.reserveHandoff(disabled, count: 1, maxHeld: 100, now: Self.now) == 0)
        #expect(ledger.reserveHandoff(throttled, count: 1, maxHeld: 100, now: Self.now) == 0)
        _ = ledger.finish(endpointID: "ep_a", .init(duration: 0.01, succeeded: false, throttled: true), takeNext: true) { _ in true }
        #expect(ledger.reserveHandoff(Self.endpoint, count: 1, maxHeld: 100, now: Self.now) == 0, "probing: one delivery at a time")
    }

    @Test("a publish claim that left due deliveries waiting leaves the endpoint behind; one that left none catches it up")
    func publishClaimsTeach() {
        let ledger = InFlightLedger(tracksBacklogs: true)
        ledger.noteBacklog(["ep_a"])
        var round = ledger.beginClaim()
        ledger.learnFromPublishClaim(round: round, reserved: ["ep_a"], stillWaiting: ["ep_a"])
        #expect(Self.asksForClaims(ledger))
        round = ledger.beginClaim()
        ledger.learnFromPublishClaim(round: round, reserved: ["ep_a"], stillWaiting: [])
        #expect(!Self.asksForClaims(ledger))
        round = ledger.beginClaim()
        ledger.noteBacklog(["ep_a"])
        ledger.learnFromPublishClaim(round: round, reserved: ["ep_a"], stillWaiting: [])
        #expect(Self.asksForClaims(ledger), "it fell behind after the round began")
    }

    @Test("a claim that took an endpoint's whole per-endpoint share, or was cut short, leaves it behind")
    func fullClaimsLeaveTheEndpointBehind() {
        let ledger = InFlightLedger(tracksBacklogs: true)
        ledger.noteBacklog(["ep_a"])
        var round = ledger.beginClaim()
        _ = ledger.admitClaim([Self.job(0), Self.job(1)], round: round, excluded: [], complete: true, perEndpointLimit: 2)
        #expect(Self.asksForClaims(ledger))
        round = ledger.beginClaim()
        _ = ledger.admitClaim([], round: round, excluded: [], complete: false, perEndpointLimit: 2)
        #expect(Self.asksForClaims(ledger))
        round = ledger.beginClaim()
        _ = ledger.admitClaim([], round: round, excluded: ["ep_a"], complete: true, perEndpointLimit: 2)
        #expect(Self.asksForClaims(ledger), "a claim that skipped it learned nothing")
        round = ledger.beginClaim()
        _ = ledger.admitClaim([], round: round, excluded: [], complete: true, perEndpointLimit: 2)
        #expect(!Self.asksForClaims(ledger))
    }

    @Test("a backlog noted after a claim round began survives that round")
    func backlogNotedDuringAClaimSurvivesIt() {
        let ledger = Self.caughtUp()
        let round = ledger.beginClaim()
        ledger.noteBacklog(["ep_a"])
        _ = ledger.admitClaim([], round: round, excluded: [], complete: true, perEndpointLimit: 32)
        #expect(Self.asksForClaims(ledger))
        _ = ledger.admitClaim([], round: ledger.beginClaim(), excluded: [], complete: true, perEndpointLimit: 32)
        #expect(!Self.asksForClaims(ledger))
    }

    @Test("after deliveries became due anywhere, every endpoint is behind until the next claim round")
    func forgettingBacklogs() {
        let ledger = Self.caughtUp()
        #expect(!Self.asksForClaims(ledger))
        ledger.forgetBacklogs()
        #expect(Self.asksForClaims(ledger))
    }

    @Test("a claim could take deliveries of an endpoint not known yet or not full, not of one holding its depth")
    func roomForAClaim() {
        let ledger = InFlightLedger()
        #expect(ledger.hasRoom(forAnyOf: ["ep_a"]))
        _ = ledger.admit((0..<8).map { Self.job($0) })
        #expect(!ledger.hasRoom(forAnyOf: ["ep_a"]), "4 × its 2 slots held")
        #expect(ledger.hasRoom(forAnyOf: ["ep_a", "ep_b"]))
    }

    @Test("without backlog tracking no publish claims and every slot that runs dry asks for a claim")
    func untrackedLedger() {
        let ledger = InFlightLedger()
        let round = ledger.beginClaim()
        _ = ledger.admitClaim([Self.job(0)], round: round, excluded: [], complete: true, perEndpointLimit: 32)
        #expect(ledger.reserveHandoff(Self.endpoint, count: 1, maxHeld: 100, now: Self.now) == 0)
        #expect(ledger.finish(endpointID: "ep_a", Self.finishedFast, takeNext: true) { _ in true }.wantsMore)
    }
}
