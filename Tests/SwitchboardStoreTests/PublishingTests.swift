import Foundation
import SwitchboardCore
import Testing


@Suite("Publishing events")
struct PublishingTests {
    typealias F = StoreFixture

    @Test("an event fans out to one pending delivery per enabled endpoint and one paused delivery per disabled one", arguments: StoreKind.allCases)
    func fanOut(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let first = try await fixture.endpoint("first", createdAt: F.at(0))
            let second = try await fixture.endpoint("second", createdAt: F.at(1))
            let disabled = try await fixture.endpoint("disabled", enabled: false, createdAt: F.at(2))

            let published = try await fixture.publish(to: [first, second, disabled], at: F.at(10))

            #expect(published.event.status == .queued)
            #expect(published.deliveries.map(\.endpointID) == [first.id, second.id, disabled.id])
            #expect(published.deliveries.map(\.state) == [.pending, .pending, .paused])
            #expect(try await fixture.store.deliveries(eventID: published.event.id, tenant: F.tenant) == published.deliveries)
            #expect(try await fixture.store.event(id: published.event.id, tenant: F.tenant) == published.event)
        }
    }

    @Test("the payload is stored as the exact bytes published", arguments: StoreKind.allCases)
    func payloadBytes(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let payload = "{ \"b\": 1,\n  \"a\": \"caf\u{00E9} \u{1F600}\", \"z\": [1.50, 2e3] }"
            let published = try await fixture.publish(to: [], payload: payload)
            let stored = try #require(try await fixture.store.event(id: published.event.id, tenant: F.tenant))
            #expect(stored.payload == Data(payload.utf8))
        }
    }

    @Test("a delivery to an endpoint deleted meanwhile, or of another tenant, is skipped; no delivery means DELIVERED", arguments: StoreKind.allCases)
    func missingEndpointsAreSkipped(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let deleted = try await fixture.endpoint("deleted")
            let foreign = try await fixture.endpoint("foreign", tenant: F.otherTenant)
            _ = try await fixture.store.deleteEndpoint(id: deleted.id, tenant: F.tenant, at: F.at(1))

            let published = try await fixture.publish(to: [deleted, foreign], at: F.at(2))

            #expect(published.deliveries.isEmpty)
            #expect(published.event.status == .delivered)
            #expect(try await fixture.store.deliveries(eventID: published.event.id, tenant: F.tenant).isEmpty)
        }
    }

    @Test("the endpoint's state at commit decides pending or paused, whatever the delivery said", arguments: StoreKind.allCases)
    func stateDecidedInTransaction(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            var item = F.newEvent(to: [endpoint], at: F.at(5))
            try await fixture.setEnabledFlag(endpoint, false)  // disabled after the fan-out was computed

            let outcome = try await fixture.store.insertEvents([item])
            guard case .inserted(_, let deliveries) = outcome.first else { Issue.record("not inserted: \(outcome)"); return }
            #expect(deliveries.map(\.state) == [.paused])

            try await fixture.setEnabledFlag(endpoint, true)
            item = F.newEvent(to: [endpoint], at: F.at(6))
            item.deliveries[0].state = .paused
            item.deliveries[0].nextAttemptAt = nil
            guard case .inserted(_, let resumed) = try await fixture.store.insertEvents([item]).first else { return }
            #expect(resumed.map(\.state) == [.pending])
            #expect(resumed.first?.nextAttemptAt == F.at(6), "a pending delivery without a due date is due at once")
        }
    }

    @Test("reusing an idempotency key with the same request returns the original event and deliveries", arguments: StoreKind.allCases)
    func idempotentDuplicate(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let original = F.newEvent(to: [endpoint], at: F.at(0), idempotencyKey: "order-1", requestHash: "aaa", windowStart: F.at(-86400))
            guard case .inserted(let event, let deliveries) = try await fixture.store.insertEvents([original]).first else {
                Issue.record("original not inserted"); return
            }

            let retry = F.newEvent(to: [endpoint], at: F.at(60), idempotencyKey: "order-1", requestHash: "aaa", windowStart: F.at(60 - 86400))
            #expect(try await fixture.store.insertEvents([retry]) == [.duplicate(event, deliveries)])
            #expect(try await fixture.store.event(id: retry.event.id, tenant: F.tenant) == nil)
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant)).total == 1)
        }
    }

    @Test("reusing an idempotency key with a different request is a conflict", arguments: StoreKind.allCases)
    func idempotencyConflict(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let first = F.newEvent(to: [], at: F.at(0), idempotencyKey: "order-1", requestHash: "aaa", windowStart: F.at(-3600))
            let second = F.newEvent(to: [], at: F.at(1), idempotencyKey: "order-1", requestHash: "bbb", windowStart: F.at(1 - 3600))
            _ = try await fixture.store.insertEvents([first])
            #expect(try await fixture.store.insertEvents([second]) == [.idempotencyConflict])
            #expect(try await fixture.store.event(id: second.event.id, tenant: F.tenant) == nil)
        }
    }

    @Test("a key whose event is older than the window, or of another tenant, is free again", arguments: StoreKind.allCases)
    func idempotencyScope(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let old = F.newEvent(to: [], at: F.at(0), idempotencyKey: "order-1", requestHash: "aaa", windowStart: F.at(-3600))
            let foreign = F.newEvent(tenant: F.otherTenant, to: [], at: F.at(10), idempotencyKey: "order-1", requestHash: "zzz", windowStart: F.at(-3600))
            let afterWindow = F.newEvent(to: [], at: F.at(3601), idempotencyKey: "order-1", requestHash: "bbb", windowStart: F.at(1))
            let atEdge = F.newEvent(to: [], at: F.at(3602), idempotencyKey: "order-1", requestHash: "bbb", windowStart: F.at(3601))

            let outcomes = try await fixture.store.insertEvents([old, foreign, afterWindow, atEdge])

            guard case .inserted = outcomes[0], case .inserted = outcomes[1], case .inserted(let renewed, _) = outcomes[2] else {
                Issue.record("expected three insertions, got \(outcomes)"); return
            }
            #expect(renewed.id == afterWindow.event.id)
            #expect(outcomes[3] == .duplicate(renewed, []), "an event created exactly at the window start still counts")
        }
    }

    @Test("without a window start every earlier use of the key counts", arguments: StoreKind.allCases)
    func idempotencyWithoutWindow(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let first = F.newEvent(to: [], at: F.at(0), idempotencyKey: "k", requestHash: "aaa")
            let later = F.newEvent(to: [], at: F.at(1_000_000), idempotencyKey: "k", requestHash: "bbb")
            _ = try await fixture.store.insertEvents([first])
            #expect(try await fixture.store.insertEvents([later]) == [.idempotencyConflict])
        }
    }

    @Test("outcomes come back in input order, earlier items of the same batch count, and one conflict fails nothing else", arguments: StoreKind.allCases)
    func mixedBatch(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let a = F.newEvent("a.one", to: [endpoint], at: F.at(0), idempotencyKey: "k1", requestHash: "h1", windowStart: F.at(-60))
            let b = F.newEvent("b.one", to: [endpoint], at: F.at(0), idempotencyKey: "k1", requestHash: "other", windowStart: F.at(-60))
            let c = F.newEvent("c.one", to: [endpoint], at: F.at(0))
            let d = F.newEvent("d.one", to: [endpoint], at: F.at(0), idempotencyKey: "k1", requestHash: "h1", windowStart: F.at(-60))

            let outcomes = try await fixture.store.insertEvents([a, b, c, d])

            guard case .inserted(let eventA, let deliveriesA) = outcomes[0], case .inserted(let eventC, _) = outcomes[2] else {
                Issue.record("unexpected outcomes \(outcomes)"); return
            }
            #expect(eventA.eventType == "a.one" && eventC.eventType == "c.one")
            #expect(outcomes[1] == .idempotencyConflict)
            #expect(outcomes[3] == .duplicate(eventA, deliveriesA))
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant)).total == 2)
        }
    }

    @Test("a batch of 500 events with their deliveries goes in one call", arguments: StoreKind.allCases)
    func largeBatch(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoints = [try await fixture.endpoint("a", createdAt: F.at(0)), try await fixture.endpoint("b", createdAt: F.at(1))]
            let batch = (0..<500).map { index in
                F.newEvent("order.created", to: endpoints, at: F.at(Double(index)), payload: #"{"n":\#(index)}"#)
            }

            let outcomes = try await fixture.store.insertEvents(batch)

            #expect(outcomes.count == 500)
            for (index, outcome) in outcomes.enumerated() {
                guard case .inserted(let event, let deliveries) = outcome else { Issue.record("item \(index): \(outcome)"); continue }
                #expect(event.id == batch[index].event.id)
                #expect(deliveries.count == 2)
            }
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant)).total == 500)
            #expect(try await fixture.store.gauges().queueDepth == 1000)
        }
    }

    @Test("an empty batch stores nothing", arguments: StoreKind.allCases)
    func emptyBatch(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let outcomes = try await fixture.store.insertEvents([])
            #expect(outcomes.isEmpty)
            #expect(try await fixture.store.events(EventQuery(tenant: nil)).total == 0)
        }
    }
}
