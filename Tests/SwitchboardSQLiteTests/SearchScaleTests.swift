import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// The store-side search over a million events, in a temporary SQLite file: counts are checked,
/// query times printed (no timed assertions: the machine is shared).
///
/// Seeding the million takes 15–25 s on two shared cores; `SWITCHBOARD_SQLITE_SMALL=1` seeds
/// 100,000 for a quick local run.
@Suite("Search at a million events", .serialized)
struct SearchScaleTests {
    typealias F = StoreFixture
    static let events = ProcessInfo.processInfo.environment["SWITCHBOARD_SQLITE_SMALL"] != nil ? 100_000 : 1_000_000
    static let batch = 100_000

    /// The id the seed gives row `index` (`evt` or `dlv`).
    static func id(_ prefix: String, _ index: Int) -> String { prefix + "_SCALE" + String(format: "%010d", index) }

    /// Inserts `events` events of `acme`, one a second from t0, each with one delivery to the
    /// endpoint: every 50th failed, the next one retrying (scheduled, 2 attempts), the rest
    /// pending (a million waiting deliveries, as behind a dead endpoint). Every 1000th event is
    /// an `invoice.refund.issued`, the others `order.created`.
    static func seed(_ fixture: StoreFixture, endpoint: Endpoint) async throws {
        let t0 = F.t0.unixSeconds
        for start in stride(from: 0, to: events, by: batch) {
            try await fixture.store.pool.write { db in
                try db.execute(
                    sql: """
                        WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
                        INSERT INTO events (id, tenant_id, event_type, payload, origin, status, created_at)
                        SELECT printf('evt_SCALE%010d', i), 'acme',
                            CASE WHEN i % 1000 = 0 THEN 'invoice.refund.issued' ELSE 'order.created' END,
                            X'7B7D', 'api', CASE WHEN i % 50 = 0 THEN 'FAILED' ELSE 'QUEUED' END, ?3 + i
                        FROM n
                        """,
                    arguments: [start, start + batch, t0])
                try db.execute(
                    sql: """
                        WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
                        INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, state, attempt_count, next_attempt_at,
                            last_status_code, created_at, updated_at)
                        SELECT printf('dlv_SCALE%010d', i), 'acme', printf('evt_SCALE%010d', i), ?4,
                            CASE WHEN i % 50 = 0 THEN 'failed' WHEN i % 50 = 1 THEN 'scheduled' ELSE 'pending' END,
                            CASE WHEN i % 50 = 0 THEN 8 WHEN i % 50 = 1 THEN 2 ELSE 0 END,
                            CASE WHEN i % 50 = 0 THEN NULL ELSE ?3 + i END,
                            CASE WHEN i % 50 < 2 THEN 503 END, ?3 + i, ?3 + i
                        FROM n
                        """,
                    arguments: [start, start + batch, t0, endpoint.id])
            }
        }
    }

    static func timed<T>(_ label: String, _ body: () async throws -> T) async rethrows -> T {
        let clock = ContinuousClock()
        var result: T?
        let elapsed = try await clock.measure { result = try await body() }
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        print("search at \(events / 1000)k: \(label): \(String(format: "%.1f", milliseconds)) ms")
        return result!
    }

    /// The count query of an event listing.
    static func countSQL(_ filter: SQLiteStore.EventFilter) -> String {
        filter.countFromIndex?.sql ?? "SELECT COUNT(*) FROM events \(filter.conditions)"
    }

    @Test("status:failed, since:, q and the queue summary count right over 1M events")
    func millionEvents() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint("dead")
            let started = ContinuousClock.now
            try await Self.seed(fixture, endpoint: endpoint)
            print("search at \(Self.events / 1000)k: seeded \(Self.events) events and deliveries in \(ContinuousClock.now - started)")
            try await fixture.store.pool.read { db in
                let failedFilter = SQLiteStore.eventFilter(EventQuery(tenant: "acme", deliveryStatus: .failed))
                let textFilter = SQLiteStore.eventFilter(EventQuery(tenant: "acme", text: "refund"))
                for (label, sql, arguments) in [
                    ("status:failed", Self.countSQL(failedFilter), failedFilter.countFromIndex?.arguments ?? []),
                    ("q=refund", Self.countSQL(textFilter), textFilter.arguments),
                    ("failures", """
                        SELECT * FROM deliveries INDEXED BY deliveries_failures
                        WHERE (state = 'failed' OR (state = 'scheduled' AND attempt_count > 0)) ORDER BY updated_at DESC, seq DESC LIMIT 10
                        """, []),
                    ("queue summary", SQLiteStore.queueSummarySQL, [nil as String?]),
                ] as [(String, String, StatementArguments)] {
                    let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
                    print("search at \(Self.events / 1000)k: plan of \(label): \(plan.joined(separator: " | "))")
                }
            }

            let store = fixture.store
            let all = try await Self.timed("all, first page") { try await store.events(EventQuery(tenant: F.tenant, limit: 100)) }
            #expect(all.total == Self.events)
            let failed = try await Self.timed("status:failed") {
                try await store.events(EventQuery(tenant: F.tenant, limit: 100, deliveryStatus: .failed))
            }
            #expect(failed.total == Self.events / 50)
            #expect(failed.items.count == 100 && failed.items.first?.id == Self.id("evt", Self.events - 50))
            let retrying = try await Self.timed("status:retrying") {
                try await store.events(EventQuery(tenant: nil, limit: 100, deliveryStatus: .retrying))
            }
            #expect(retrying.total == Self.events / 50)
            let since = try await Self.timed("since: (last tenth)") {
                try await store.events(EventQuery(tenant: F.tenant, limit: 100, since: F.at(Double(Self.events - Self.events / 10))))
            }
            #expect(since.total == Self.events / 10)
            let text = try await Self.timed("q=refund issued") {
                try await store.events(EventQuery(tenant: F.tenant, limit: 100, text: "refund ISSUED"))
            }
            #expect(text.total == Self.events / 1000)
            let failedSince = try await Self.timed("status:failed since: (last tenth)") {
                try await store.events(EventQuery(
                    tenant: F.tenant, limit: 100, deliveryStatus: .failed, since: F.at(Double(Self.events - Self.events / 10))))
            }
            #expect(failedSince.total == Self.events / 10 / 50)
            let failures = try await Self.timed("failed deliveries, newest 100") { try await store.failedDeliveries(tenant: nil, limit: 100) }
            #expect(failures.count == 100 && failures[0].delivery.id == Self.id("dlv", Self.events - 49))
            let summary = try await Self.timed("queue summary") { try await store.queueSummary(tenant: nil) }
            #expect(summary.count == 1)
            #expect(summary.first?.waiting == Self.events / 50 * 48 && summary.first?.scheduled == Self.events / 50)
            let queue = try await Self.timed("one endpoint's queue, 100") {
                try await store.queuedDeliveries(endpointID: endpoint.id, tenant: F.tenant, limit: 100)
            }
            #expect(queue.count == 100 && queue[0].id == Self.id("dlv", 1))
            let located = try await Self.timed("locate") { try await store.locate(id: Self.id("dlv", Self.events / 2), tenant: nil) }
            #expect(located?.eventID == Self.id("evt", Self.events / 2))
        }
    }
}
