import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// Volume tests. They assert what the store holds afterwards and print how long it took;
/// they never assert on time, which depends on the machine and its disk.
@Suite("Throughput")
struct ThroughputTests {
    typealias F = StoreFixture

    static func seconds(_ duration: Duration) -> String {
        let (s, attoseconds) = duration.components
        return String(format: "%.3f s", Double(s) + Double(attoseconds) / 1e18)
    }

    @Test("10,000 events in batches of 100, fanned out to two endpoints, then claimed, recorded and listed")
    func tenThousandEvents() async throws {
        try await F.with { fixture in
            let endpoints = [try await fixture.endpoint("a", createdAt: F.at(0)), try await fixture.endpoint("b", createdAt: F.at(1))]
            let clock = ContinuousClock()

            let insertTime = try await clock.measure {
                for batch in 0..<100 {
                    let items = (0..<100).map { index in
                        F.newEvent(to: endpoints, at: F.at(Double(batch * 100 + index) / 1000), payload: #"{"n":\#(batch * 100 + index)}"#)
                    }
                    let outcomes = try await fixture.store.insertEvents(items)
                    #expect(outcomes.count == 100)
                }
            }
            var jobs: [DeliveryJob] = []
            let claimTime = try await clock.measure {
                jobs = try await fixture.claim(at: F.at(100), limit: 100, perEndpoint: 50)
            }
            let recordTime = try await clock.measure {
                _ = try await fixture.store.recordAttempts(jobs.map { F.record($0.delivery, at: F.at(101)) })
            }
            var page = Page<Event>(items: [], total: 0)
            let listTime = try await clock.measure {
                page = try await fixture.store.events(EventQuery(tenant: F.tenant, limit: 50))
            }

            #expect(page.total == 10_000)
            #expect(page.items.count == 50)
            #expect(jobs.count == 100)
            #expect(Dictionary(grouping: jobs, by: \.endpoint.id).mapValues(\.count) == [endpoints[0].id: 50, endpoints[1].id: 50])
            let gauges = try await fixture.store.gauges()
            #expect(gauges.queueDepth == 19_900 && gauges.inFlightDeliveries == 0)
            print("""
                SQLiteStore throughput (synchronous = FULL):
                  insert 10,000 events + 20,000 deliveries in 100 batches of 100: \(Self.seconds(insertTime))
                  claim 100 of 20,000 due deliveries: \(Self.seconds(claimTime))
                  record 100 attempts in one batch: \(Self.seconds(recordTime))
                  first page of 50 of 10,000 events with total: \(Self.seconds(listTime))
                """)
        }
    }

    @Test("1,000 events published one per transaction, for comparison with batches")
    func oneEventPerTransaction() async throws {
        try await F.with { fixture in
            let endpoint = try await fixture.endpoint()
            let time = try await ContinuousClock().measure {
                for index in 0..<1000 {
                    _ = try await fixture.store.insertEvents([F.newEvent(to: [endpoint], at: F.at(Double(index)))])
                }
            }
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant)).total == 1000)
            print("SQLiteStore: 1,000 events one per transaction (synchronous = FULL): \(Self.seconds(time))")
        }
    }

    /// A million events and a deep backlog: run with `SWITCHBOARD_SQLITE_LARGE=1 swift test --filter Throughput`.
    @Test(
        "with a million events and a backlog of 200,000, pages, claims and the next due date stay right",
        .enabled(if: ProcessInfo.processInfo.environment["SWITCHBOARD_SQLITE_LARGE"] != nil))
    func millionEvents() async throws {
        try await F.with { fixture in
            let slow = try await fixture.endpoint("slow", createdAt: F.at(0))
            let others = try await (1...50).asyncMap { try await fixture.endpoint("other-\($0)", createdAt: F.at(Double($0))) }
            let clock = ContinuousClock()
            let insertTime = try await clock.measure {
                for batch in 0..<1000 {
                    let items = (0..<1000).map { index -> NewEvent in
                        let n = batch * 1000 + index
                        // Every fifth event goes to the slow endpoint: a backlog of 200,000 due deliveries.
                        return F.newEvent(n % 2 == 0 ? "order.created" : "user.signed_up", to: n % 5 == 0 ? [slow] : [], at: F.at(Double(n) / 100))
                    }
                    _ = try await fixture.store.insertEvents(items)
                }
                for (index, endpoint) in others.enumerated() {
                    try await fixture.publish(to: [endpoint], at: F.at(Double(index)))
                }
            }
            var page = Page<Event>(items: [], total: 0)
            let listTime = try await clock.measure { page = try await fixture.store.events(EventQuery(tenant: F.tenant, limit: 50)) }
            var typed = Page<Event>(items: [], total: 0)
            let typedTime = try await clock.measure {
                typed = try await fixture.store.events(EventQuery(tenant: F.tenant, limit: 50, eventType: "order.*"))
            }
            var deep = Page<Event>(items: [], total: 0)
            let deepTime = try await clock.measure {
                deep = try await fixture.store.events(EventQuery(tenant: F.tenant, limit: 50, offset: 500_000))
            }
            var jobs: [DeliveryJob] = []
            let claimTime = try await clock.measure { jobs = try await fixture.claim(at: F.at(20_000), limit: 64, perEndpoint: 4) }
            var excluded: [DeliveryJob] = []
            let excludedTime = try await clock.measure {
                excluded = try await fixture.claim(at: F.at(20_000), limit: 64, perEndpoint: 4, excluding: [slow.id])
            }
            var due: Date?
            let dueTime = try await clock.measure { due = try await fixture.store.nextDueDate() }

            #expect(page.total == 1_000_050 && page.items.count == 50)
            #expect(typed.total == 500_050 && typed.items.allSatisfy { $0.eventType == "order.created" })
            #expect(deep.items.count == 50)
            #expect(jobs.count == 54 && jobs.filter { $0.endpoint.id == slow.id }.count == 4)
            #expect(excluded.isEmpty, "the other endpoints' deliveries were all claimed")
            #expect(due != nil)
            print("""
                SQLiteStore with 1,000,050 events and 200,000 due deliveries:
                  insert in batches of 1,000: \(Self.seconds(insertTime))
                  first page of 50 with total: \(Self.seconds(listTime))
                  first page of order.* with total: \(Self.seconds(typedTime))
                  page at offset 500,000: \(Self.seconds(deepTime))
                  claim 64 (4 per endpoint) over 51 endpoints: \(Self.seconds(claimTime))
                  claim with the backlogged endpoint excluded: \(Self.seconds(excludedTime))
                  nextDueDate: \(Self.seconds(dueTime))
                """)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
