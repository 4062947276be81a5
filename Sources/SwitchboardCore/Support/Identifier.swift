import Foundation

/// Prefixed, time-ordered identifiers such as `evt_01JD3M5Q9X6K8T2V4W7Y0Z1A2B`.
///
/// The part after the prefix is a ULID: 48 bits of milliseconds since the epoch and
/// 80 random bits in Crockford base32, so ids sort by creation time.
public enum Identifier {
    /// The prefixes Switchboard uses, one per resource kind.
    public enum Prefix: String, Sendable, CaseIterable {
        case event = "evt"
        case endpoint = "ep"
        case delivery = "dlv"
        case attempt = "att"
        case apiKey = "key"
        case source = "src"
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new identifier with the given prefix, stamped with `date`.
    public static func make(_ prefix: Prefix, at date: Date = Date()) -> String {
        "\(prefix.rawValue)_\(ulid(at: date))"
    }

    /// A 26-character ULID for `date`.
    public static func ulid(at date: Date) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        // 128 bits: 48 of milliseconds, then 80 random; 26 characters of 5 bits, the first
        // one carrying only 3 bits.
        var high = millis << 16 | UInt64(RandomBytes.uint16())
        var low = RandomBytes.uint64()
        return String(unsafeUninitializedCapacity: 26) { output in
            for position in (0..<26).reversed() {
                output[position] = alphabet[Int(low & 0x1F)]
                low = (low >> 5) | ((high & 0x1F) << 59)
                high >>= 5
            }
            return 26
        }
    }
}
