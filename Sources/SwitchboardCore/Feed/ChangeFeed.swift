import Foundation
import Synchronization

/// An in-process broadcast of ``Change``s to any number of subscribers.
///
/// Publishing never waits: each subscriber has a bounded buffer, and a subscriber that
/// falls behind loses its oldest unread changes (it can tell from ``Subscription/dropped``)
/// instead of slowing delivery down.
public final class ChangeFeed: Sendable {
    private struct Subscriber: Sendable {
        let continuation: AsyncStream<Change>.Continuation
        let dropped: Subscription.DropCounter
    }

    private let subscribers = Mutex<[UInt64: Subscriber]>([:])
    private let nextID = Atomic<UInt64>(0)
    private let endpointChanges = Atomic<UInt64>(0)

    public init() {}

    /// How many endpoint changes were published so far: a cache of endpoints is current while
    /// this stays the same.
    var endpointGeneration: UInt64 { endpointChanges.load(ordering: .acquiring) }

    /// Sends `change` to every subscriber without waiting.
    public func publish(_ change: Change) {
        switch change {
        case .endpointChanged, .endpointDeleted: endpointChanges.add(1, ordering: .releasing)
        default: break
        }
        let current = subscribers.withLock { Array($0.values) }
        for subscriber in current {
            if case .dropped = subscriber.continuation.yield(change) {
                subscriber.dropped.increment()
            }
        }
    }

    /// Sends several changes in order.
    public func publish(_ changes: some Sequence<Change>) {
        for change in changes { publish(change) }
    }

    /// A new subscription that buffers at most `bufferSize` unread changes.
    public func subscribe(bufferSize: Int = 4096) -> Subscription {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<Change>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let counter = Subscription.DropCounter()
        subscribers.withLock { $0[id] = Subscriber(continuation: continuation, dropped: counter) }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return Subscription(changes: stream, dropCounter: counter, cancel: { continuation.finish() })
    }

    /// Number of live subscriptions.
    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// One subscriber's view of the feed.
    public struct Subscription: Sendable {
        /// Counts changes lost because the subscriber fell behind.
        public final class DropCounter: Sendable {
            private let count = Atomic<Int>(0)
            func increment() { count.add(1, ordering: .relaxed) }
            var value: Int { count.load(ordering: .relaxed) }
        }

        /// The changes, in publication order.
        public let changes: AsyncStream<Change>
        fileprivate let dropCounter: DropCounter
        private let cancelAction: @Sendable () -> Void

        fileprivate init(changes: AsyncStream<Change>, dropCounter: DropCounter, cancel: @escaping @Sendable () -> Void) {
            self.changes = changes
            self.dropCounter = dropCounter
            self.cancelAction = cancel
        }

        /// Changes lost so far because this subscriber read too slowly.
        public var dropped: Int { dropCounter.value }

        /// Ends the subscription; `changes` finishes.
        public func cancel() { cancelAction() }
    }
}
