import Foundation
import Testing

@testable import SwitchboardPostgres

/// The cluster change feed's tail: ids skipped because their rows had not committed yet are
/// looked for again, alone, until they show up or age out.
@Suite("Cluster change feed tail")
struct ChangeTailTests {
    private let start = ContinuousClock.now

    @Test("ids read in order move the cursor and are all fresh")
    func inOrder() {
        var tail = ChangeTail(cursor: 10)
        #expect(tail.accept([11, 12, 13], at: start) == [11, 12, 13])
        #expect(tail.cursor == 13)
        #expect(tail.missing.isEmpty)
        #expect(tail.accept([12, 13], at: start).isEmpty, "ids already read are not fresh again")
    }

    @Test("a skipped id is looked for until it shows up, then it is fresh once")
    func lateCommit() {
        var tail = ChangeTail(cursor: 10)
        #expect(tail.accept([11, 14], at: start) == [11, 14])
        #expect(tail.missing == [12, 13])
        #expect(tail.accept([13, 15], at: start + .seconds(1)) == [13, 15])
        #expect(tail.missing == [12])
        #expect(tail.accept([13], at: start + .seconds(2)).isEmpty)
        #expect(tail.accept([12], at: start + .seconds(3)) == [12])
        #expect(tail.missing.isEmpty)
    }

    @Test("a skipped id that never shows up (its transaction rolled back) is given up after the gap lifetime")
    func rolledBack() {
        var tail = ChangeTail(cursor: 0)
        _ = tail.accept([2], at: start)
        #expect(tail.missing == [1])
        _ = tail.accept([], at: start + ChangeTail.gapLifetime - .seconds(1))
        #expect(tail.missing == [1])
        _ = tail.accept([], at: start + ChangeTail.gapLifetime)
        #expect(tail.missing.isEmpty)
        #expect(tail.accept([1], at: start + ChangeTail.gapLifetime).isEmpty, "too late: it is not fresh")
    }

    @Test("a jump of more ids than are tracked moves the cursor without tracking them")
    func hugeJump() {
        var tail = ChangeTail(cursor: 0)
        #expect(tail.accept([ChangeTail.maxTrackedGap + 2], at: start) == [ChangeTail.maxTrackedGap + 2])
        #expect(tail.missing.isEmpty)
    }
}
