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
        var generator = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index))) }
        for index in 6..<16 { bytes[index] = generator.next() }
        return encodeCrockford(bytes)
    }

    private static func encodeCrockford(_ bytes: [UInt8]) -> String {
        // 128 bits → 26 characters of 5 bits, the first one carrying only 3 bits.
        var high = UInt64(0), low = UInt64(0)
        for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
        for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        var output = [UInt8](repeating: 0, count: 26)
        for position in (0..<26).reversed() {
            output[position] = alphabet[Int(low & 0x1F)]
            low = (low >> 5) | ((high & 0x1F) << 59)
            high >>= 5
        }
        return String(decoding: output, as: UTF8.self)
    }
}
