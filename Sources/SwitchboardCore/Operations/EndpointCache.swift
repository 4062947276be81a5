import Foundation
import Synchronization

/// Each tenant's endpoints as the fan-out last read them, so a publish batch does not read
/// and unseal them again.
///
/// An entry holds until this process's ``ChangeFeed`` announces any endpoint change (every
/// operation and every health flip does), and never longer than `maxAge`, which bounds how
/// long a change made by another node sharing the store takes to be seen. The insert still
/// checks each endpoint's state inside its transaction, so a disabled or deleted endpoint
/// never gets a delivery it should not.
final class EndpointCache: Sendable {
    private struct Entry {
        var endpoints: [Endpoint]
        var generation: UInt64
        var readAt: ContinuousClock.Instant
    }

    private let entries = Mutex<[TenantID: Entry]>([:])
    private let feed: ChangeFeed
    private let maxAge: Duration

    init(feed: ChangeFeed, maxAge: Duration = .seconds(1)) {
        self.feed = feed
        self.maxAge = maxAge
    }

    /// `tenant`'s endpoints, read with `read` when not held or no longer current.
    func endpoints(tenant: TenantID, read: () async throws -> [Endpoint]) async throws -> [Endpoint] {
        let generation = feed.endpointGeneration
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[tenant] }), entry.generation == generation, now - entry.readAt < maxAge {
            return entry.endpoints
        }
        // The generation is taken before the read: a change committed while reading makes
        // the next lookup read again.
        let endpoints = try await read()
        entries.withLock { $0[tenant] = Entry(endpoints: endpoints, generation: generation, readAt: now) }
        return endpoints
    }
}
