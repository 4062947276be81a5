import Foundation
import Testing

@testable import SwitchboardCore

@Suite("Identifiers")
struct IdentifierTests {
    @Test("an id is its prefix and a 26-character Crockford ULID whose first 10 characters are the time")
    func shape() {
        let date = Date(timeIntervalSince1970: 1_764_756_000.123)
        let id = Identifier.make(.event, at: date)
        #expect(id.hasPrefix("evt_"))
        let ulid = id.dropFirst(4)
        #expect(ulid.count == 26)
        #expect(ulid.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let millis = ulid.prefix(10).reduce(UInt64(0)) { $0 << 5 | UInt64(alphabet.firstIndex(of: $1)!) }
        #expect(millis == 1_764_756_000_123)
    }

    @Test("ids sort by creation time and 10,000 made in the same millisecond are all different")
    func orderAndUniqueness() {
        let now = Date(timeIntervalSince1970: 1_764_756_000)
        #expect(Identifier.make(.delivery, at: now) < Identifier.make(.delivery, at: now.addingTimeInterval(0.002)))
        let ids = (0..<10_000).map { _ in Identifier.make(.attempt, at: now) }
        #expect(Set(ids).count == ids.count)
    }

    @Test("random bits are spread: 4,096 draws set every bit of a UInt64 both ways")
    func randomBits() {
        var ones = UInt64(0), zeros = UInt64(0)
        for _ in 0..<4_096 {
            let value = RandomBytes.uint64()
            ones |= value
            zeros |= ~value
        }
        #expect(ones == .max && zeros == .max)
        let unit = (0..<1_000).map { _ in RandomBytes.unitInterval() }
        #expect(unit.allSatisfy { $0 >= 0 && $0 < 1 })
    }
}
