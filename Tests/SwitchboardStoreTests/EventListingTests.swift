import Foundation
import SwitchboardCore
import Testing


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

    @Test("newest first with the total, windowed by limit and offset", arguments: StoreKind.allCases)
    func newestFirstWindows(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
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

    @Test("events created in the same instant list latest inserted first", arguments: StoreKind.allCases)
    func tiesBreakByInsertion(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let batch = (0..<5).map { _ in F.newEvent(to: [], at: F.at(0)) }
            _ = try await fixture.store.insertEvents(batch)
            let page = try await fixture.store.events(EventQuery(tenant: F.tenant))
            #expect(page.items.map(\.id) == batch.reversed().map(\.event.id))
        }
    }

    @Test("every window, the oldest ones included, is the same slice of the newest-first order, ties and filters too", arguments: StoreKind.allCases)
    func everyWindowIsASliceOfTheWholeOrder(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let batch = (0..<9).map { index in F.newEvent(index % 3 == 0 ? "invoice.paid" : "order.created", to: [], at: F.at(Double(index / 2))) }
            _ = try await fixture.store.insertEvents(batch)
            for filter in [EventQuery(tenant: F.tenant, limit: 100), EventQuery(tenant: nil, limit: 100, eventType: "order.*")] {
                let whole = try await fixture.store.events(filter).items.map(\.id)
                #expect(whole.count == (filter.eventType == nil ? 9 : 6))
                for limit in [1, 2, 4] {
                    for offset in 0...(whole.count + 1) {
                        var query = filter
                        query.limit = limit
                        query.offset = offset
                        let page = try await fixture.store.events(query)
                        #expect(page.items.map(\.id) == Array(whole.dropFirst(offset).prefix(limit)), "limit \(limit), offset \(offset)")
                        #expect(page.total == whole.count)
                    }
                }
            }
        }
    }

    @Test("filter by exact event type, by prefix wildcard (case-sensitive, dot-bounded) and by *", arguments: StoreKind.allCases)
    func eventTypeFilter(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
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

    @Test("filter by status", arguments: StoreKind.allCases)
    func statusFilter(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
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

    @Test("filter by endpoint, combined with other filters", arguments: StoreKind.allCases)
    func endpointFilter(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
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

    @Test("another tenant's event, deliveries and attempts read as absent", arguments: StoreKind.allCases)
    func tenantIsolation(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
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
}
