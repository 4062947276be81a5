import Foundation
import Logging

/// A log handler that keeps every line it is given in a ``LogRing`` and forwards it to
/// another handler (the file or standard-error handler), which decides the level.
public struct RingLogHandler: LogHandler {
    public let ring: LogRing
    public let label: String
    private var upstream: any LogHandler

    public init(label: String, ring: LogRing, forwardingTo upstream: any LogHandler) {
        self.label = label
        self.ring = ring
        self.upstream = upstream
    }

    public var logLevel: Logger.Level {
        get { upstream.logLevel }
        set { upstream.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { upstream.metadata }
        set { upstream.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { upstream[metadataKey: key] }
        set { upstream[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = upstream.metadata.merging(event.metadata ?? [:]) { $1 }
        ring.append(
            LogEntry(
                time: Date(), level: event.level, label: label, message: event.message.description,
                metadata: merged.mapValues { "\($0)" }))
        upstream.log(event: event)
    }
}
