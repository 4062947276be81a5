import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// SQLite's event listing query plans (the store-generic listing behaviours are in SwitchboardStoreTests).
@Suite("Event listing query plans")
struct EventQueryPlanTests {
    typealias F = StoreFixture

    @Test("a page is picked on an index with no sort of the matching events; the idempotency lookup uses its index")
    func queryPlans() async throws {
        try await F.with { fixture in
            /// The plan's lines, and whether anything below the top level needs a sort.
            func plan(_ query: EventQuery) async throws -> (details: String, sortsMatches: Bool) {
                let filter = SQLiteStore.eventFilter(query)
                let sql = "EXPLAIN QUERY PLAN " + SQLiteStore.eventPageSQL(filter)
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
