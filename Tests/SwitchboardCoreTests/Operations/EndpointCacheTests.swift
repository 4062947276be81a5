import Foundation
import Synchronization
import Testing
@testable import SwitchboardCore

@Suite("The fan-out's endpoint cache")
struct EndpointCacheTests {
    final class Reads: Sendable {
        let count = Mutex(0)
        func read() -> [Endpoint] {
            count.withLock { $0 += 1 }
            return [LedgerBacklogTests.endpoint]
        }
    }

    @Test("endpoints are read once until an endpoint change is announced")
    func heldUntilAChange() async throws {
        let feed = ChangeFeed()
        let cache = EndpointCache(feed: feed, maxAge: .seconds(3600))
        let reads = Reads()
        for _ in 0..<3 { _ = try await cache.endpoints(tenant: .defaultTenant) { reads.read() } }
        #expect(reads.count.withLock { $0 } == 1)
        feed.publish(.endpointDeleted(id: "ep_other", tenantID: .defaultTenant))
        _ = try await cache.endpoints(tenant: .defaultTenant) { reads.read() }
        #expect(reads.count.withLock { $0 } == 2)
        feed.publish(.eventStatusChanged(EventStatusChange(eventID: "evt_1", tenantID: .defaultTenant, status: .delivered)))
        _ = try await cache.endpoints(tenant: .defaultTenant) { reads.read() }
        #expect(reads.count.withLock { $0 } == 2, "other changes keep the cache")
    }

    @Test("an entry older than its maximum age is read again: another node's change is seen within it")
    func maximumAge() async throws {
        let cache = EndpointCache(feed: ChangeFeed(), maxAge: .zero)
        let reads = Reads()
        for _ in 0..<2 { _ = try await cache.endpoints(tenant: .defaultTenant) { reads.read() } }
        #expect(reads.count.withLock { $0 } == 2)
    }
}
