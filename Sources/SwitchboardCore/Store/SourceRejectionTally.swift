import Foundation

/// Refused inbound requests of one source, counted in memory and written in one batch
/// (see ``Store/recordSourceRejections(_:)``).
public struct SourceRejectionTally: Sendable, Hashable {
    /// The source the requests were refused for.
    public var sourceID: String
    /// How many were refused since the last write.
    public var count: Int
    /// Why the latest one was refused.
    public var lastReason: String
    /// When the latest one was refused.
    public var lastRejectedAt: Date

    public init(sourceID: String, count: Int, lastReason: String, lastRejectedAt: Date) {
        self.sourceID = sourceID
        self.count = count
        self.lastReason = lastReason
        self.lastRejectedAt = lastRejectedAt
    }
}

extension Store {
    /// One ``recordSourceRejection(id:reason:at:)`` per tally, for stores without a batch
    /// statement; counts beyond the first are added as repeated rejections.
    public func recordSourceRejections(_ tallies: [SourceRejectionTally]) async throws -> [Source] {
        var sources: [Source] = []
        for tally in tallies {
            var stored: Source?
            for _ in 0..<max(1, tally.count) {
                stored = try await recordSourceRejection(id: tally.sourceID, reason: tally.lastReason, at: tally.lastRejectedAt)
            }
            if let stored { sources.append(stored) }
        }
        return sources
    }
}
