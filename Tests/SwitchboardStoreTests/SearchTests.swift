import Foundation
import GRDB
import PostgresNIO
import SwitchboardCore
import Testing

@testable import SwitchboardPostgres
@testable import SwitchboardSQLite

@Suite("Store-side search, failures, queue summary and id lookup")
struct SearchTests {
    typealias F = StoreFixture

    /// Puts a delivery in `state` with `attempts` made, as the recorder would leave it.
    static func set(
        _ delivery: Delivery, _ state: Delivery.State, attempts: Int = 1, updatedAt: Date = F.at(10), next: Date? = nil,
        in fixture: StoreFixture
    ) async throws {
        switch fixture.store {
        case let sqlite as SQLiteStore:
            try await sqlite.pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = ?, attempt_count = ?, updated_at = ?, next_attempt_at = ?, last_status_code = 503,
                            last_error = 'boom' WHERE id = ?
                        """,
                    arguments: [state.rawValue, attempts, updatedAt.timeIntervalSince1970, next?.timeIntervalSince1970, delivery.id])
                _ = try SQLiteStore.refreshEventStatuses(db, eventIDs: [delivery.eventID])
            }
        case let postgres as PostgresStore:
            try await postgres.transaction { connection in
                try await connection.rows(
                    """
                    UPDATE deliveries SET state = \(state.rawValue), attempt_count = \(attempts), updated_at = \(updatedAt.timeIntervalSince1970),
                    next_attempt_at = \(next?.timeIntervalSince1970), last_status_code = 503, last_error = 'boom' WHERE id = \(delivery.id)
                    """, F.quietLogger)
                _ = try await PostgresStore.refreshEventStatuses(connection, eventIDs: [delivery.eventID], F.quietLogger)
            }
        default:
            Issue.record("no raw access to \(type(of: fixture.store))")
        }
    }

    @Test("status:failed and retrying look at deliveries; the other words at the event status", arguments: StoreKind.allCases)
    func deliveryLevelStatus(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let a = try await fixture.endpoint("a")
            let b = try await fixture.endpoint("b")
            let partial = try await fixture.publish(to: [a, b], at: F.at(1))
            let retrying = try await fixture.publish(to: [a, b], at: F.at(2))
            let queued = try await fixture.publish(to: [a], at: F.at(3))
            try await Self.set(partial.deliveries[0], .failed, in: fixture)
            try await Self.set(partial.deliveries[1], .succeeded, in: fixture)
            try await Self.set(retrying.deliveries[0], .scheduled, attempts: 2, next: F.at(100), in: fixture)
            // A failed delivery inside an event still QUEUED (the other one is pending).
            let stillQueued = try await fixture.publish(to: [a, b], at: F.at(4))
            try await Self.set(stillQueued.deliveries[1], .failed, in: fixture)

            func ids(_ word: DeliveryStatusFilter) async throws -> [String] {
                let page = try await fixture.store.events(EventQuery(tenant: F.tenant, limit: 100, deliveryStatus: word))
                #expect(page.total == page.items.count)
                return page.items.map(\.id)
            }
            #expect(try await ids(.failed) == [stillQueued.event.id, partial.event.id])
            #expect(try await ids(.retrying) == [retrying.event.id])
            #expect(try await ids(.partial) == [partial.event.id])
            #expect(try await ids(.queued) == [stillQueued.event.id, queued.event.id, retrying.event.id])
            #expect(try await fixture.store.events(EventQuery(tenant: F.otherTenant, deliveryStatus: .failed)).total == 0)
        }
    }

    @Test("since is inclusive, until exclusive; free text matches every word in type or id, any case", arguments: StoreKind.allCases)
    func timeAndText(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            var events: [Event] = []
            for (index, type) in ["order.created", "order.paid", "invoice.paid", "Order.Refunded"].enumerated() {
                events.append(try await fixture.publish(type, to: [], at: F.at(Double(index * 10))).event)
            }
            let window = try await fixture.store.events(EventQuery(tenant: F.tenant, since: F.at(10), until: F.at(30)))
            #expect(window.items.map(\.id) == [events[2].id, events[1].id])
            #expect(window.total == 2)
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, text: "PAID")).total == 2)
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, text: "order paid")).items.map(\.id) == [events[1].id])
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, text: "refund")).items.map(\.id) == [events[3].id])
            let tail = String(events[0].id.suffix(8)).lowercased()
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, text: tail)).items.map(\.id) == [events[0].id])
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, text: "   ")).total == 4)
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, text: "100%_")).total == 0)
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, text: "r.p")).items.map(\.id) == [events[1].id])
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, text: "r_p")).total == 0, "'_' is a character, not a wildcard")
        }
    }

    @Test("failed deliveries: failed and retrying ones, newest update first, with type and URL, per tenant", arguments: StoreKind.allCases)
    func failures(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let a = try await fixture.endpoint("a")
            let other = try await fixture.endpoint("x", tenant: F.otherTenant)
            let first = try await fixture.publish("order.paid", to: [a], at: F.at(1))
            let second = try await fixture.publish("order.created", to: [a], at: F.at(2))
            let fresh = try await fixture.publish(to: [a], at: F.at(3))
            let theirs = try await fixture.publish(tenant: F.otherTenant, to: [other], at: F.at(4))
            try await Self.set(first.deliveries[0], .failed, updatedAt: F.at(20), in: fixture)
            try await Self.set(second.deliveries[0], .scheduled, attempts: 3, updatedAt: F.at(30), next: F.at(99), in: fixture)
            try await Self.set(fresh.deliveries[0], .scheduled, attempts: 0, updatedAt: F.at(40), in: fixture)
            try await Self.set(theirs.deliveries[0], .failed, updatedAt: F.at(50), in: fixture)

            let mine = try await fixture.store.failedDeliveries(tenant: F.tenant, limit: 10)
            #expect(mine.map(\.delivery.id) == [second.deliveries[0].id, first.deliveries[0].id])
            #expect(mine[0].eventType == "order.created" && mine[0].endpointURL == a.url)
            #expect(mine[0].attemptCount == 3 && mine[0].nextAttemptAt == F.at(99) && mine[0].lastStatusCode == 503)
            #expect(mine[1].nextAttemptAt == nil && mine[1].lastError == "boom")
            #expect(try await fixture.store.failedDeliveries(tenant: nil, limit: 10).count == 3)
            #expect(try await fixture.store.failedDeliveries(tenant: nil, limit: 1).map(\.delivery.id) == [theirs.deliveries[0].id])
        }
    }

    @Test("queue summary per endpoint and one endpoint's queue, soonest first then paused", arguments: StoreKind.allCases)
    func queue(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let a = try await fixture.endpoint("a")
            let b = try await fixture.endpoint("b")
            var aDeliveries: [Delivery] = []
            for second in 0..<4 { aDeliveries += try await fixture.publish(to: [a, b], at: F.at(Double(second))).deliveries.filter { $0.endpointID == a.id } }
            try await Self.set(aDeliveries[0], .scheduled, attempts: 1, next: F.at(50), in: fixture)
            try await Self.set(aDeliveries[1], .paused, attempts: 0, next: F.at(1), in: fixture)
            let summary = try await fixture.store.queueSummary(tenant: F.tenant)
            #expect(summary.map(\.endpointID) == [a.id, b.id].sorted())  // equal totals: by id
            let groupA = try #require(summary.first { $0.endpointID == a.id })
            #expect(groupA.waiting == 2 && groupA.paused == 1 && groupA.scheduled == 1 && groupA.url == a.url && groupA.tenantID == F.tenant)
            #expect(groupA.nextDue == F.at(2))
            let groupB = try #require(summary.first { $0.endpointID == b.id })
            #expect(groupB.waiting == 4 && groupB.total == 4)
            #expect(summary[0].total >= summary[1].total)
            #expect(try await fixture.store.queueSummary(tenant: F.otherTenant).isEmpty)

            let queue = try await fixture.store.queuedDeliveries(endpointID: a.id, tenant: F.tenant, limit: 10)
            #expect(queue.map(\.id) == [aDeliveries[2].id, aDeliveries[3].id, aDeliveries[0].id, aDeliveries[1].id])
            #expect(try await fixture.store.queuedDeliveries(endpointID: a.id, tenant: F.tenant, limit: 2).map(\.id) == [aDeliveries[2].id, aDeliveries[3].id])
            #expect(try await fixture.store.queuedDeliveries(endpointID: a.id, tenant: F.otherTenant, limit: 10).isEmpty)
        }
    }

    @Test("locate resolves every kind of id, scoped by tenant", arguments: StoreKind.allCases)
    func locate(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let a = try await fixture.endpoint("a")
            let published = try await fixture.publish(to: [a])
            let delivery = published.deliveries[0]
            _ = try await fixture.claim()
            let recording = try await fixture.store.recordAttempts([F.record(delivery, status: 500, state: .failed)])
            let attempt = try #require(recording.attempts.first)

            let event = try #require(try await fixture.store.locate(id: published.event.id, tenant: nil))
            #expect(event == LocatedID(kind: .event, id: published.event.id, tenantID: F.tenant, eventID: published.event.id))
            let located = try #require(try await fixture.store.locate(id: delivery.id, tenant: F.tenant))
            #expect(located.kind == .delivery && located.eventID == published.event.id && located.endpointID == a.id && located.deliveryID == delivery.id)
            let att = try #require(try await fixture.store.locate(id: attempt.id, tenant: F.tenant))
            #expect(att.kind == .attempt && att.deliveryID == delivery.id && att.eventID == published.event.id && att.endpointID == a.id)
            #expect(try await fixture.store.locate(id: a.id, tenant: F.tenant)?.kind == .endpoint)
            #expect(try await fixture.store.locate(id: a.id, tenant: F.otherTenant) == nil)
            #expect(try await fixture.store.locate(id: "evt_NOPE", tenant: nil) == nil)
            #expect(try await fixture.store.locate(id: "zzz_123", tenant: nil) == nil)
            #expect(try await fixture.store.locate(id: "nounderscore", tenant: nil) == nil)
        }
    }

    @Test("an event's failed deliveries are requeued in one go, except to a disabled endpoint", arguments: StoreKind.allCases)
    func retryFailedOfEvent(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let a = try await fixture.endpoint("a")
            let b = try await fixture.endpoint("b")
            let c = try await fixture.endpoint("c")
            let published = try await fixture.publish(to: [a, b, c])
            for delivery in published.deliveries { try await Self.set(delivery, .failed, in: fixture) }
            _ = try await fixture.store.setEndpointEnabled(id: c.id, tenant: F.tenant, enabled: false, reason: "manual", at: F.at(11))
            #expect(try await fixture.status(of: published.event) == .failed)
            let requeued = try await fixture.store.requeueFailedDeliveries(eventID: published.event.id, tenant: F.tenant, at: F.at(12))
            #expect(Set(requeued.map(\.endpointID)) == [a.id, b.id])
            #expect(requeued.allSatisfy { $0.state == .pending && $0.nextAttemptAt == F.at(12) && $0.attemptCount == 1 })
            #expect(try await fixture.state(of: published.deliveries[2]) == .failed)
            #expect(try await fixture.status(of: published.event) == .queued)
            #expect(try await fixture.store.requeueFailedDeliveries(eventID: published.event.id, tenant: F.otherTenant, at: F.at(12)).isEmpty)
        }
    }
}
