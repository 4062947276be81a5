import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

@Suite("Listing events")
struct EventListingTests {
    typealias F = StoreFixture

    /// Six events of `acme` a second apart (types below) and one of `globex`; returns acme's ids oldest first.
    static func seed(_ fixture: StoreFixture, to endpoints: [Endpoint]) async throws -> [Event] {
        let types = ["order.created", "order.paid", "invoice.paid", "order.created", "ORDER.shipped", "orders.archived"]
        var events: [Event] = []
        for (index, type) in types.enumerated() {
            events.append(try await fixture.publish(type, to: endpoints, at: F.at(Double(index))).event)
        }
        try await fixture.publish("order.created", tenant: F.otherTenant, to: [], at: F.at(100))
        return events
    }

    @Test("newest first with the total, windowed by limit and offset")
    func newestFirstWindows() async throws {
        try await F.with { fixture in
            let events = try await Self.seed(fixture, to: [])
            let newestFirst = events.reversed().map(\.id)

            let firstPage = try await fixture.store.events(EventQuery(tenant: F.tenant, limit: 4))
            #expect(firstPage.items.map(\.id) == Array(newestFirst[0..<4]))
            #expect(firstPage.total == 6)

            let secondPage = try await fixture.store.events(EventQuery(tenant: F.tenant, limit: 4, offset: 4))
            #expect(secondPage.items.map(\.id) == Array(newestFirst[4...]))
            #expect(secondPage.total == 6)

            let beyond = try await fixture.store.events(EventQuery(tenant: F.tenant, limit: 4, offset: 10))
            #expect(beyond.items.isEmpty && beyond.total == 6)

            let everyone = try await fixture.store.events(EventQuery(tenant: nil, limit: 100))
            #expect(everyone.total == 7)
            #expect(everyone.items.first?.tenantID == F.otherTenant)
        }
    }

    @Test("events created in the same instant list latest inserted first")
    func tiesBreakByInsertion() async throws {
        try await F.with { fixture in
            let batch = (0..<5).map { _ in F.newEvent(to: [], at: F.at(0)) }
            _ = try await fixture.store.insertEvents(batch)
            let page = try await fixture.store.events(EventQuery(tenant: F.tenant))
            #expect(page.items.map(\.id) == batch.reversed().map(\.event.id))
        }
    }

    @Test("filter by exact event type, by prefix wildcard (case-sensitive, dot-bounded) and by *")
    func eventTypeFilter() async throws {
        try await F.with { fixture in
            let events = try await Self.seed(fixture, to: [])
            func ids(_ type: String) async throws -> (ids: [String], total: Int) {
                let page = try await fixture.store.events(EventQuery(tenant: F.tenant, eventType: type))
                return (page.items.map(\.id), page.total)
            }
            #expect(try await ids("order.created") == ([events[3].id, events[0].id], 2))
            #expect(try await ids("order.*") == ([events[3].id, events[1].id, events[0].id], 3))
            #expect(try await ids("invoice.*") == ([events[2].id], 1))
            #expect(try await ids("order.cre") == ([], 0))
            #expect(try await ids("*").total == 6)
        }
    }

    @Test("filter by status")
    func statusFilter() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint()
            let events = try await Self.seed(fixture, to: [endpoint])
            let deliveries = try await fixture.store.deliveries(eventID: events[1].id, tenant: F.tenant)
            _ = try await fixture.store.recordAttempts([F.record(deliveries[0], at: F.at(50))])

            let delivered = try await fixture.store.events(EventQuery(tenant: F.tenant, status: .delivered))
            #expect(delivered.items.map(\.id) == [events[1].id])
            #expect(delivered.total == 1)
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, status: .queued)).total == 5)
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant, status: .failed)).total == 0)
        }
    }

    @Test("filter by endpoint, combined with other filters")
    func endpointFilter() async throws {
        try await F.with { fixture in
            let orders = try await fixture.endpoint("orders", createdAt: F.at(0))
            let everything = try await fixture.endpoint("everything", createdAt: F.at(1))
            let a = try await fixture.publish("order.created", to: [orders, everything], at: F.at(1)).event
            let b = try await fixture.publish("invoice.paid", to: [everything], at: F.at(2)).event
            let c = try await fixture.publish("order.paid", to: [orders, everything], at: F.at(3)).event

            let forOrders = try await fixture.store.events(EventQuery(tenant: F.tenant, endpointID: orders.id))
            #expect(forOrders.items.map(\.id) == [c.id, a.id])
            #expect(forOrders.total == 2)
            let forEverything = try await fixture.store.events(EventQuery(tenant: F.tenant, endpointID: everything.id))
            #expect(forEverything.items.map(\.id) == [c.id, b.id, a.id])
            let combined = try await fixture.store.events(
                EventQuery(tenant: F.tenant, limit: 1, endpointID: everything.id, eventType: "order.*"))
            #expect(combined.items.map(\.id) == [c.id])
            #expect(combined.total == 2)
            #expect(try await fixture.store.events(EventQuery(tenant: F.otherTenant, endpointID: orders.id)).total == 0)
        }
    }

    @Test("another tenant's event, deliveries and attempts read as absent")
    func tenantIsolation() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint])
            _ = try await fixture.store.recordAttempts([F.record(published.deliveries[0])])
            #expect(try await fixture.store.event(id: published.event.id, tenant: F.otherTenant) == nil)
            #expect(try await fixture.store.delivery(id: published.deliveries[0].id, tenant: F.otherTenant) == nil)
            #expect(try await fixture.store.deliveries(eventID: published.event.id, tenant: F.otherTenant).isEmpty)
            #expect(try await fixture.store.attempts(eventID: published.event.id, tenant: F.otherTenant).isEmpty)
            #expect(try await fixture.store.attempts(deliveryID: published.deliveries[0].id, tenant: F.otherTenant).isEmpty)
            #expect(try await fixture.store.attempts(deliveryID: published.deliveries[0].id, tenant: F.tenant).count == 1)
        }
    }

    @Test("a page is picked on an index with no sort of the matching events; the idempotency lookup uses its index")
    func queryPlans() async throws {
        try await F.with { fixture in
            /// The plan's lines, and whether anything below the top level needs a sort.
            func plan(_ query: EventQuery) async throws -> (details: String, sortsMatches: Bool) {
                let filter = SQLiteStore.eventFilter(query)
                let sql = "EXPLAIN QUERY PLAN " + SQLiteStore.eventPageSQL(filter.sql)
                let arguments = filter.arguments + [50, 0]
                let rows = try fixture.store.pool.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
                let details = rows.map { $0["detail"] as String }
                let nestedSort = rows.contains { ($0["parent"] as Int) != 0 && ($0["detail"] as String).contains("TEMP B-TREE") }
                return (details.joined(separator: "\n"), nestedSort)
            }
            let tenantPage = try await plan(EventQuery(tenant: F.tenant))
            #expect(tenantPage.details.contains("COVERING INDEX events_by_tenant_time"))
            #expect(!tenantPage.sortsMatches, "\(tenantPage.details)")

            let everyone = try await plan(EventQuery(tenant: nil))
            #expect(everyone.details.contains("COVERING INDEX events_by_time") && !everyone.sortsMatches, "\(everyone.details)")

            let byStatus = try await plan(EventQuery(tenant: F.tenant, status: .queued))
            #expect(byStatus.details.contains("events_by_tenant_status") && !byStatus.sortsMatches, "\(byStatus.details)")

            let byType = try await plan(EventQuery(tenant: F.tenant, eventType: "order.created"))
            #expect(byType.details.contains("events_by_tenant_type") && !byType.sortsMatches, "\(byType.details)")

            let idempotency = try await fixture.store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteStore.idempotentMatchSQL, arguments: [F.tenant, "k", 0])
                    .map { $0["detail"] as String }.joined()
            }
            #expect(idempotency.contains("events_by_idempotency_key"))
        }
    }
}
