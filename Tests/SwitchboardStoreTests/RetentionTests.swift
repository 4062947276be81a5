import Foundation
import SwitchboardCore
import Testing


@Suite("Retention purge")
struct RetentionTests {
    typealias F = StoreFixture
    static let day: TimeInterval = 86400

    func purge(_ fixture: F, at date: Date, days: Int = 30, limit: Int = 100) async throws -> PurgeResult {
        try await fixture.store.purgeExpiredEvents(PurgeRequest(now: date, defaultRetentionDays: days, limit: limit))
    }

    @Test("finished events older than the retention go with their deliveries and attempts; younger ones stay", arguments: StoreKind.allCases)
    func expiresFinishedEvents(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let old = try await fixture.publish(to: [endpoint], at: F.t0)
            let young = try await fixture.publish(to: [endpoint], at: F.at(20 * Self.day))
            _ = try await fixture.claim(at: F.at(20 * Self.day + 1))
            _ = try await fixture.store.recordAttempts([
                F.record(old.deliveries[0], at: F.at(20 * Self.day + 2)), F.record(young.deliveries[0], at: F.at(20 * Self.day + 2)),
            ])

            let result = try await purge(fixture, at: F.at(31 * Self.day))
            #expect(result == PurgeResult(events: 1, deliveries: 1, attempts: 1))
            #expect(try await fixture.store.event(id: old.event.id, tenant: F.tenant) == nil)
            #expect(try await fixture.store.attempts(eventID: old.event.id, tenant: F.tenant).isEmpty)
            #expect(try await fixture.store.event(id: young.event.id, tenant: F.tenant) != nil)
            #expect(try await purge(fixture, at: F.at(31 * Self.day)) == PurgeResult(), "a second pass finds nothing")
        }
    }

    @Test("an event with a pending, scheduled or paused delivery is never deleted, however old", arguments: StoreKind.allCases)
    func keepsUnfinishedDeliveries(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let pending = try await fixture.publish(to: [endpoint], at: F.t0)
            let scheduled = try await fixture.publish(to: [endpoint], at: F.t0)
            _ = try await fixture.claim(at: F.at(1), limit: 2)
            _ = try await fixture.store.recordAttempts([
                F.record(pending.deliveries[0], status: 500, at: F.at(2), state: .pending, next: F.at(3)),
                F.record(scheduled.deliveries[0], status: 500, at: F.at(2), state: .scheduled, next: F.at(400 * Self.day)),
            ])
            let disabled = try await fixture.endpoint("paused", enabled: false)
            let paused = try await fixture.publish(to: [disabled], at: F.t0)
            #expect(paused.deliveries.first?.state == .paused)

            #expect(try await purge(fixture, at: F.at(365 * Self.day)).events == 0)
            for event in [pending.event, scheduled.event, paused.event] {
                #expect(try await fixture.store.event(id: event.id, tenant: F.tenant) != nil)
            }
        }
    }

    @Test("a source's own retention overrides the default for its events, either way", arguments: StoreKind.allCases)
    func perSourceRetention(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let short = SourceStoreTests.makeSource("short", retentionDays: 2)
            let long = SourceStoreTests.makeSource("long", retentionDays: 90)
            try await fixture.store.insertSource(short)
            try await fixture.store.insertSource(long)
            func sourceEvent(_ source: Source) async throws -> Event {
                var item = F.newEvent(to: [], at: F.t0)
                item.event.origin = .source
                item.event.sourceID = source.id
                guard case .inserted(let event, _) = try #require(try await fixture.store.insertEvents([item]).first) else {
                    throw FixtureError.notInserted
                }
                return event
            }
            let fromShort = try await sourceEvent(short)
            let fromLong = try await sourceEvent(long)
            let plain = try await fixture.publish(to: [], at: F.t0)

            #expect(try await purge(fixture, at: F.at(3 * Self.day)).events == 1)
            #expect(try await fixture.store.event(id: fromShort.id, tenant: F.tenant) == nil)
            #expect(try await purge(fixture, at: F.at(31 * Self.day)).events == 1)
            #expect(try await fixture.store.event(id: plain.event.id, tenant: F.tenant) == nil)
            #expect(try await fixture.store.event(id: fromLong.id, tenant: F.tenant) != nil)
            #expect(try await purge(fixture, at: F.at(91 * Self.day)).events == 1)
        }
    }

    @Test("one batch deletes at most the limit, oldest first", arguments: StoreKind.allCases)
    func batches(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            var events: [Event] = []
            for second in 0..<5 { events.append(try await fixture.publish(to: [], at: F.at(Double(second))).event) }
            #expect(try await purge(fixture, at: F.at(40 * Self.day), limit: 2).events == 2)
            #expect(try await fixture.store.event(id: events[0].id, tenant: F.tenant) == nil)
            #expect(try await fixture.store.event(id: events[2].id, tenant: F.tenant) != nil)
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant)).total == 3, "the listing's total follows the purge")
            #expect(try await fixture.store.events(EventQuery(tenant: nil)).total == 3)
            #expect(try await purge(fixture, at: F.at(40 * Self.day), limit: 2).events == 2)
            #expect(try await purge(fixture, at: F.at(40 * Self.day), limit: 2).events == 1)
        }
    }
}
