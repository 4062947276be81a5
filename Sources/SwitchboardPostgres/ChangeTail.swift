/// Where a node's tail of the `changes` table stands: the highest id it has read, and the
/// ids below it that it has not seen yet.
///
/// Ids come from a sequence when a row is inserted, not when it commits, so a row can become
/// visible after rows with higher ids. Rather than reading a window below the cursor again
/// on every poll (a thousand rows decoded each time, many times a second on a busy cluster),
/// the tail remembers each id it skipped over and asks for those ids alone until they show
/// up or are older than ``gapLifetime``: an id whose transaction rolled back never shows up.
struct ChangeTail {
    /// How long a skipped id is looked for; appending changes is one short transaction.
    static let gapLifetime: Duration = .seconds(30)
    /// A jump larger than this (a sequence reset or a huge rollback) is not tracked id by id.
    static let maxTrackedGap: Int64 = 10_000

    /// The highest id read so far.
    private(set) var cursor: Int64
    /// Skipped ids, with when they were first missed.
    private(set) var gaps: [Int64: ContinuousClock.Instant] = [:]

    init(cursor: Int64) {
        self.cursor = cursor
    }

    /// The skipped ids still looked for, in order.
    var missing: [Int64] { gaps.keys.sorted() }

    /// Takes rows read above the cursor and for ``missing``; returns the ids not seen before,
    /// in id order, and forgets gaps older than ``gapLifetime`` at `now`.
    mutating func accept(_ ids: [Int64], at now: ContinuousClock.Instant) -> [Int64] {
        var fresh: [Int64] = []
        for id in Set(ids).sorted() {
            if id > cursor {
                if id - cursor - 1 <= Self.maxTrackedGap {
                    for skipped in (cursor + 1)..<id { gaps[skipped] = now }
                }
                cursor = id
                fresh.append(id)
            } else if gaps.removeValue(forKey: id) != nil {
                fresh.append(id)
            }
        }
        gaps = gaps.filter { now - $0.value < Self.gapLifetime }
        return fresh
    }
}
