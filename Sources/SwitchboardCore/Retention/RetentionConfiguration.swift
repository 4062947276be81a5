import Foundation

/// How long stored events are kept. Maps to `retention.*` in `config/switchboard.yaml`.
public struct RetentionConfiguration: Sendable, Hashable {
    /// `retention.days` (default 30): how long events without a source setting are kept.
    public var days: Int
    /// `retention.interval_seconds` (default 3600): time between purge passes.
    public var interval: TimeInterval
    /// `retention.batch_size` (default 500): most events deleted per transaction, so a pass
    /// never holds the write lock long enough to stall delivery.
    public var batchSize: Int

    public init(days: Int = 30, interval: TimeInterval = 3600, batchSize: Int = 500) {
        self.days = days
        self.interval = interval
        self.batchSize = batchSize
    }
}
