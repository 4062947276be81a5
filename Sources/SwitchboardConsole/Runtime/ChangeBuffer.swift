import Synchronization
import SwitchboardCore

/// Collects changes from the feed between two ticks, so the console applies them in one
/// batch at most ten times a second however fast they come.
final class ChangeBuffer: Sendable {
    /// Most changes held; beyond that the oldest are dropped and counted, and the console
    /// reloads instead (as when the feed itself drops).
    static let capacity = 20_000

    private struct Contents {
        var changes: [Change] = []
        var dropped = 0
    }

    private let contents = Mutex(Contents())

    func append(_ change: Change) {
        contents.withLock { contents in
            if contents.changes.count >= Self.capacity {
                contents.changes.removeFirst(contents.changes.count / 2)
                contents.dropped += Self.capacity / 2
            }
            contents.changes.append(change)
        }
    }

    /// The changes collected since the last call, and how many were dropped in total.
    func drain() -> (changes: [Change], dropped: Int) {
        contents.withLock { contents in
            defer { contents.changes = [] }
            return (contents.changes, contents.dropped)
        }
    }
}
