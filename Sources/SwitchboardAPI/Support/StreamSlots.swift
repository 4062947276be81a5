import Synchronization

/// Counts open `/v1/stream` responses per API key and refuses one past ``limit``.
final class StreamSlots: Sendable {
    /// A held slot; it is given back when the lease is released (deinitialised).
    final class Lease: Sendable {
        private let slots: StreamSlots
        private let key: String

        fileprivate init(slots: StreamSlots, key: String) {
            self.slots = slots
            self.key = key
        }

        deinit { slots.release(key) }
    }

    /// Most streams one key may hold open at once.
    let limit: Int
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a slot for `key`; `nil` when it already holds ``limit``.
    func acquire(_ key: String) -> Lease? {
        let taken = open.withLock { open in
            let held = open[key, default: 0]
            guard held < limit else { return false }
            open[key] = held + 1
            return true
        }
        return taken ? Lease(slots: self, key: key) : nil
    }

    /// Streams `key` holds open.
    func count(_ key: String) -> Int { open.withLock { $0[key, default: 0] } }

    private func release(_ key: String) {
        open.withLock { open in
            let held = open[key, default: 0] - 1
            open[key] = held > 0 ? held : nil
        }
    }
}
