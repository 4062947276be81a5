import Foundation

/// Events and attempts per second, counted from the change feed in one-second buckets and
/// averaged over the last ``span`` complete seconds.
struct RateMeter: Sendable, Hashable {
    /// Seconds averaged over.
    static let span = 5

    private struct Bucket: Sendable, Hashable {
        var events = 0
        var attempts = 0
    }

    private var buckets: [Int64: Bucket] = [:]

    /// Counts `events` published and `attempts` recorded at `date`.
    mutating func record(events: Int, attempts: Int, at date: Date) {
        guard events > 0 || attempts > 0 else { return }
        let second = Int64(date.timeIntervalSince1970.rounded(.down))
        buckets[second, default: Bucket()].events += events
        buckets[second, default: Bucket()].attempts += attempts
        if buckets.count > Self.span + 2 {
            let oldest = second - Int64(Self.span) - 1
            buckets = buckets.filter { $0.key >= oldest }
        }
    }

    /// Average rates over the complete seconds before `date`.
    func rates(at date: Date) -> (events: Double, attempts: Double) {
        let now = Int64(date.timeIntervalSince1970.rounded(.down))
        var events = 0, attempts = 0
        for second in (now - Int64(Self.span))..<now {
            if let bucket = buckets[second] {
                events += bucket.events
                attempts += bucket.attempts
            }
        }
        return (Double(events) / Double(Self.span), Double(attempts) / Double(Self.span))
    }
}
