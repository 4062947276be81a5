import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// The per-endpoint delivery indexes: one entry per fresh delivery (an event fans out to every
/// subscribed endpoint, and each such index puts the delivery on a page of its own endpoint),
/// and the queries about an endpoint's deliveries find them without a scan.
@Suite("Per-endpoint delivery indexes")
struct EndpointIndexTests {
    typealias F = StoreFixture

    static func plan(_ fixture: StoreFixture, _ sql: String, _ arguments: StatementArguments) async throws -> [String] {
        try await fixture.store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    @Test("a delivery is in one index that leads with its endpoint while it waits, is paused or is finished, and in none in flight")
    func oneEndpointIndexPerState() async throws {
        try await F.with { fixture in
            let holders = try await fixture.store.pool.read { db in
                let indexes = try Row.fetchAll(
                    db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' AND sql LIKE '%(endpoint_id%'")
                return try Dictionary(uniqueKeysWithValues: Delivery.State.allCases.map { state in
                    let holding = try indexes.filter { index in
                        let sql: String = index["sql"]
                        guard let condition = sql.range(of: " WHERE ").map({ String(sql[$0.upperBound...]) }) else { return true }
                        return try Bool.fetchOne(db, sql: "SELECT \(condition) FROM (SELECT ? AS state)", arguments: [state.rawValue]) ?? false
                    }
                    return (state, holding.map { $0["name"] as String })
                })
            }
            for state in Delivery.State.allCases {
                #expect(holders[state]?.count == (state == .inFlight ? 0 : 1), "\(state): \(holders[state] ?? [])")
            }
            #expect(holders[.pending] == ["deliveries_waiting"] && holders[.scheduled] == ["deliveries_waiting"])
        }
    }

    @Test("the queue summary reads no delivery row: one grouped pass over each partial index")
    func queueSummaryPlan() async throws {
        try await F.with { fixture in
            let plan = try await Self.plan(fixture, SQLiteStore.queueSummarySQL, [nil as String?])
            #expect(plan.contains { $0.contains("COVERING INDEX deliveries_waiting") }, "\(plan)")
            #expect(plan.contains { $0.contains("COVERING INDEX deliveries_paused") }, "\(plan)")
            #expect(!plan.contains { $0.contains("GROUP BY") && $0.contains("TEMP B-TREE") }, "grouped in index order: \(plan)")
        }
    }

    @Test("events filtered by endpoint come from the index of each state, not a scan")
    func endpointEventsPlan() async throws {
        try await F.with { fixture in
            let plan = try await Self.plan(fixture, SQLiteStore.endpointEventIDsSQL, ["ep_a", "ep_a", "ep_a", "ep_a"])
            for index in ["deliveries_waiting", "deliveries_paused", "deliveries_finished_by_endpoint", "deliveries_by_state"] {
                #expect(plan.contains { $0.contains(index) }, "\(index): \(plan)")
            }
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        }
    }

    @Test("deleting an endpoint finds its unfinished deliveries without walking its finished ones")
    func unfinishedDeliveriesPlan() async throws {
        try await F.with { fixture in
            let plan = try await Self.plan(fixture, SQLiteStore.unfinishedDeliveriesSQL, ["ep_a"])
            #expect(plan.contains { $0.contains("deliveries_waiting (endpoint_id=?)") }, "\(plan)")
            #expect(plan.contains { $0.contains("deliveries_paused (endpoint_id=?)") }, "\(plan)")
            #expect(plan.contains { $0.contains("deliveries_by_state (state=?)") }, "\(plan)")
            #expect(!plan.contains { $0.contains("deliveries_finished_by_endpoint") || $0.hasPrefix("SCAN") }, "\(plan)")
        }
    }
}
