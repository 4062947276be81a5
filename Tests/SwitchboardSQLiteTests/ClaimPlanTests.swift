import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// SQLite's claim query plan (the store-generic claim behaviours are in SwitchboardStoreTests).
@Suite("Claim query plan")
struct ClaimPlanTests {
    typealias F = StoreFixture

    @Test("a claim probes each endpoint's waiting index instead of scanning the backlog")
    func claimPlan() async throws {
        try await F.with { fixture in
            let plan = try await fixture.store.pool.read { db in
                try Row.fetchAll(
                    db, sql: "EXPLAIN QUERY PLAN " + SQLiteStore.waitingSQL, arguments: [0, 4, #"["ep_a","ep_b"]"#, 10]
                ).map { $0["detail"] as String }
            }
            #expect(plan.first == "SCAN e", "endpoints are the outer loop")
            #expect(plan.contains { $0.contains("deliveries_waiting (endpoint_id=? AND next_attempt_at<?)") })
            #expect(!plan.contains { $0.hasPrefix("SCAN d") || $0.hasPrefix("SCAN w") }, "no delivery is scanned: \(plan)")
        }
    }

    @Test("a claim seeks to the lapsed leases instead of reading every delivery in flight")
    func expiredLeasesPlan() async throws {
        try await F.with { fixture in
            let plan = try await fixture.store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteStore.expiredLeasesSQL, arguments: [0, "[]"]).map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("deliveries_by_state (state=? AND lease_expires_at<?)") }, "\(plan)")
        }
    }
}
