import Synchronization

/// Whether this node leads the cluster right now, shared between its tasks.
final class LeaderFlag: Sendable {
    private let state = Mutex(false)

    var value: Bool { state.withLock { $0 } }

    func set(_ leading: Bool) { state.withLock { $0 = leading } }
}
