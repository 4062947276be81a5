import Foundation
import Logging
import PostgresNIO
import Synchronization
import SwitchboardCore

/// Makes a node's ``ChangeFeed`` cluster-wide.
///
/// Every change published on this node's feed is appended to the `changes` table (a
/// reference, never its payload) in small batches; the insert NOTIFYs the last id. Every node
/// tails the table from its last id, when notified and at least every second, reads each
/// change of another node back from the store and publishes it on its own feed, so
/// `/v1/stream` and consoles on one node see what every node did. Changes this relay
/// republished are not appended again. Ids are assigned before commit, so the tail
/// (``ChangeTail``) looks again for the ids it skipped: a row that commits late is not lost.
final class ChangeRelay: Sendable {
    private let store: PostgresStore
    private let node: String
    private let feed: ChangeFeed
    private let logger: Logger
    /// Changes this relay published on the feed, not to be appended again when seen there.
    private let injected = Mutex<[Change: Int]>([:])
    private let outbox = Mutex<[ChangeReference]>([])
    private let poke: AsyncStream<Void>.Continuation
    private let pokes: AsyncStream<Void>

    init(store: PostgresStore, node: String, feed: ChangeFeed, logger: Logger) {
        self.store = store
        self.node = node
        self.feed = feed
        self.logger = logger
        (pokes, poke) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Runs until cancelled.
    func run(listen: Bool) async {
        let subscription = feed.subscribe(bufferSize: 1 << 16)
        await withDiscardingTaskGroup { group in
            group.addTask { await self.collect(subscription) }
            group.addTask { await self.flushLoop() }
            group.addTask { await self.tail() }
            group.addTask { await self.ticker() }
            if listen { group.addTask { await self.listen() } }
            while !Task.isCancelled {
                do { try await Task.sleep(for: .seconds(3600)) } catch { break }
            }
            subscription.cancel()
            group.cancelAll()
        }
    }

    private func collect(_ subscription: ChangeFeed.Subscription) async {
        for await change in subscription.changes {
            let republished = injected.withLock { injected -> Bool in
                guard let count = injected[change] else { return false }
                injected[change] = count > 1 ? count - 1 : nil
                return true
            }
            if republished { continue }
            outbox.withLock { $0.append(ChangeReference(change)) }
        }
    }

    private func flushLoop() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(50)) } catch { return }
            let batch = outbox.withLock { outbox -> [ChangeReference] in
                defer { outbox.removeAll(keepingCapacity: true) }
                return outbox
            }
            guard !batch.isEmpty else { continue }
            for start in stride(from: 0, to: batch.count, by: 1000) {
                do {
                    try await store.appendChanges(Array(batch[start..<min(batch.count, start + 1000)]), node: node)
                } catch {
                    logger.warning("cluster change feed: appending changes failed; other nodes miss them", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    private func ticker() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
            poke.yield()
        }
    }

    private func listen() async {
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: PostgresStore.changesChannel) { notifications in
                        for try await _ in notifications { poke.yield() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
            }
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
        }
    }

    private static let batch = 2000

    private func tail() async {
        var start: Int64 = 0
        while !Task.isCancelled {
            do {
                start = try await store.latestChangeID()
                break
            } catch {
                do { try await Task.sleep(for: .seconds(1)) } catch { return }
            }
        }
        // What is already in the table happened before this node started: not replayed.
        var position = ChangeTail(cursor: start)
        for await _ in pokes {
            if Task.isCancelled { return }
            do {
                while true {
                    let before = position.cursor
                    let rows = try await store.changes(after: before, limit: Self.batch, also: position.missing)
                    let fresh = Set(position.accept(rows.map(\.id), at: .now))
                    // Read back in one batch per kind, published in id order; only while the feed
                    // has a subscriber besides this relay (an SSE client, a console): what nobody
                    // watches is not read back.
                    if feed.subscriberCount > 1 {
                        let references = rows.sorted { $0.id < $1.id }.filter { fresh.contains($0.id) && $0.node != node }.map(\.reference)
                        for change in try await store.changes(for: references) {
                            guard let change else { continue }
                            injected.withLock { $0[change, default: 0] += 1 }
                            feed.publish(change)
                        }
                    }
                    if rows.lazy.filter({ $0.id > before }).count < Self.batch { break }
                }
            } catch {
                logger.warning("cluster change feed: reading changes failed; trying again", metadata: ["error": "\(error)"])
            }
        }
    }
}
