import Foundation
import Logging

/// One log line kept in a ``LogRing``.
public struct LogEntry: Sendable, Hashable {
    public var time: Date
    public var level: Logger.Level
    /// The logger's label (`switchboard.dispatcher`, …).
    public var label: String
    public var message: String
    /// The handler's and the call's metadata, rendered. Switchboard never puts a secret in
    /// log metadata, so none reaches the ring.
    public var metadata: [String: String]

    public init(time: Date, level: Logger.Level, label: String, message: String, metadata: [String: String] = [:]) {
        self.time = time
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }
}
