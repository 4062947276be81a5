import Foundation
import Logging
import Synchronization

/// The last lines logged in this process, kept in memory for operators (the console's log
/// pane, `GET /v1/logs`). ``RingLogHandler`` appends to it; the oldest line goes when it is full.
public final class LogRing: Sendable {
    /// How the lines are ordered when read.
    public enum Order: String, Sendable, Hashable, CaseIterable {
        /// Warnings and worse first (newest first), then the other lines newest first.
        case severity
        /// Newest first.
        case newest
    }

    /// Most lines kept.
    public let capacity: Int
    private let state: Mutex<Buffer>

    private struct Buffer {
        var lines: [LogEntry] = []
        /// Index of the oldest line once the buffer is full.
        var start = 0
    }

    public init(capacity: Int = 2000) {
        self.capacity = max(1, capacity)
        self.state = Mutex(Buffer())
    }

    /// Keeps `entry`, dropping the oldest line when the ring is full.
    public func append(_ entry: LogEntry) {
        state.withLock { buffer in
            if buffer.lines.count < capacity {
                buffer.lines.append(entry)
            } else {
                buffer.lines[buffer.start] = entry
                buffer.start = (buffer.start + 1) % capacity
            }
        }
    }

    /// Up to `limit` lines at `minLevel` or above, in `order`.
    public func entries(limit: Int = 2000, minLevel: Logger.Level = .trace, order: Order = .severity) -> [LogEntry] {
        let oldestFirst = state.withLock { buffer in
            Array(buffer.lines[buffer.start...] + buffer.lines[..<buffer.start])
        }
        let newestFirst = oldestFirst.reversed().filter { $0.level >= minLevel }
        let ordered: [LogEntry]
        switch order {
        case .newest:
            ordered = newestFirst
        case .severity:
            ordered = newestFirst.filter { $0.level >= .warning } + newestFirst.filter { $0.level < .warning }
        }
        return Array(ordered.prefix(max(0, limit)))
    }
}
