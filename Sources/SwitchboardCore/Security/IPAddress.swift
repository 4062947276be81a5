/// An IPv4 or IPv6 address, held as its bytes in network order.
///
/// Two ways in from text:
/// - ``init(_:)`` is strict: a dotted quad or an RFC 4291 IPv6 text form, nothing else.
/// - ``fromHostLiteral(_:)`` is lenient: it reads a URL host the way resolvers and
///   `inet_aton` do (`2130706433`, `0x7f.1`, `0177.0.0.1`), so a policy can see through
///   every spelling of an address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Which protocol version an address belongs to.
    public enum Family: Sendable, Hashable {
        /// 4 bytes.
        case ipv4
        /// 16 bytes.
        case ipv6
    }

    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public let bytes: [UInt8]

    /// `.ipv4` for 4 bytes, `.ipv6` for 16.
    public var family: Family { bytes.count == 4 ? .ipv4 : .ipv6 }

    /// The number of bits in an address of this family: 32 or 128.
    public var bitWidth: Int { bytes.count * 8 }

    /// An address from its bytes in network order; `nil` unless there are exactly 4 or 16.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses an address strictly: a dotted quad (`192.0.2.1`, four decimal parts without
    /// leading zeros) or any RFC 4291 IPv6 text form (`2001:db8::1`, `::ffff:192.0.2.1`),
    /// optionally in brackets (`[::1]`).
    ///
    /// Zone ids (`fe80::1%eth0`), the lenient IPv4 forms (`127.1`, `0x7f000001`) and anything
    /// else return `nil`. Leading zeros are refused because `inet_aton` reads them as octal.
    public init?(_ text: String) {
        if text.hasPrefix("[") || text.hasSuffix("]") {
            guard text.count >= 2, text.hasPrefix("["), text.hasSuffix("]"),
                let bytes = Self.parseIPv6(text.dropFirst().dropLast())
            else { return nil }
            self.bytes = bytes
        } else if let bytes = Self.parseDottedQuad(Substring(text)) ?? Self.parseIPv6(Substring(text)) {
            self.bytes = bytes
        } else {
            return nil
        }
    }

    /// Reads a URL host as an address literal the way resolvers and `inet_aton` would, or
    /// returns `nil` for a host name.
    ///
    /// Accepts everything ``init(_:)`` does, IPv6 with or without brackets and with any zone
    /// id dropped, one trailing dot, and the classic IPv4 forms: one to four parts, each
    /// decimal, octal (leading `0`) or hex (`0x`), the last part filling the remaining bytes
    /// (`127.1` is 127.0.0.1, `2130706433` is 127.0.0.1, `0x7f.1` is 127.0.0.1).
    /// Names like `example.com` or `1.2.3.example` return `nil`.
    public static func fromHostLiteral(_ host: String) -> IPAddress? {
        var text = Substring(host)
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count >= 2 else { return nil }
            text = text.dropFirst().dropLast()
            return parseIPv6(withoutZone(text)).map(IPAddress.init(validBytes:))
        }
        if text.contains(":") {
            return parseIPv6(withoutZone(text)).map(IPAddress.init(validBytes:))
        }
        if text.hasSuffix(".") { text = text.dropLast() }
        return parseInetAton(text).map(IPAddress.init(validBytes:))
    }

    /// The IPv4 address carried inside an IPv6 one, or `nil`:
    /// - IPv4-mapped `::ffff:a.b.c.d`
    /// - IPv4-compatible `::a.b.c.d` (deprecated; not `::` or `::1`)
    /// - NAT64 well-known prefix `64:ff9b::/96` (RFC 6052)
    /// - 6to4 `2002:AABB:CCDD::/48`, whose IPv4 address is bits 16–47
    public var embeddedIPv4: IPAddress? {
        guard family == .ipv6 else { return nil }
        let tail = Array(bytes[12..<16])
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return IPAddress(validBytes: tail)
        }
        if bytes[0..<12].allSatisfy({ $0 == 0 }) {
            let isUnspecifiedOrLoopback = bytes[12..<15].allSatisfy { $0 == 0 } && bytes[15] <= 1
            return isUnspecifiedOrLoopback ? nil : IPAddress(validBytes: tail)
        }
        if bytes[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] {
            return IPAddress(validBytes: tail)
        }
        if bytes[0] == 0x20 && bytes[1] == 0x02 {
            return IPAddress(validBytes: Array(bytes[2..<6]))
        }
        return nil
    }

    /// Canonical text: dotted quad for IPv4; RFC 5952 for IPv6 (lowercase hex without leading
    /// zeros, the longest run of two or more zero groups shortened to `::`, and IPv4-mapped
    /// addresses as `::ffff:a.b.c.d`).
    public var description: String {
        switch family {
        case .ipv4:
            return bytes.map(String.init).joined(separator: ".")
        case .ipv6:
            return ipv6Description
        }
    }

    /// For bytes already known to be 4 or 16 long.
    init(validBytes: [UInt8]) {
        self.bytes = validBytes
    }

    private var ipv6Description: String {
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return "::ffff:" + bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        let zeroRun = Self.longestZeroRun(groups)
        guard let zeroRun else {
            return groups.map { String($0, radix: 16) }.joined(separator: ":")
        }
        let head = groups[..<zeroRun.lowerBound].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = groups[zeroRun.upperBound...].map { String($0, radix: 16) }.joined(separator: ":")
        return head + "::" + tail
    }

    /// The first longest run of at least two zero groups (RFC 5952 §4.2).
    private static func longestZeroRun(_ groups: [UInt16]) -> Range<Int>? {
        var best: Range<Int>?
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < groups.count && groups[index] == 0 { index += 1 }
            if index - start >= 2 && index - start > (best?.count ?? 0) {
                best = start..<index
            }
        }
        return best
    }

    // MARK: - Parsing

    private static func withoutZone(_ text: Substring) -> Substring {
        text.firstIndex(of: "%").map { text[..<$0] } ?? text
    }

    /// Exactly four decimal parts, 0–255, no leading zeros.
    private static func parseDottedQuad(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy(isDecimalDigit),
                part.utf8.count == 1 || part.utf8.first != UInt8(ascii: "0"),
                let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// RFC 4291 §2.2: eight groups of 1–4 hex digits, at most one `::` standing for one or
    /// more zero groups, and optionally a dotted quad in place of the last two groups.
    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        let groups: [UInt16]
        if let gap = text.firstRange(of: "::") {
            let head = text[..<gap.lowerBound]
            let tail = text[gap.upperBound...]
            guard !tail.contains("::"),
                let headGroups = parseGroups(head, ipv4TailAllowed: false),
                let tailGroups = parseGroups(tail, ipv4TailAllowed: true),
                headGroups.count + tailGroups.count <= 7
            else { return nil }
            groups = headGroups + Array(repeating: 0, count: 8 - headGroups.count - tailGroups.count) + tailGroups
        } else {
            guard let allGroups = parseGroups(text, ipv4TailAllowed: true), allGroups.count == 8 else { return nil }
            groups = allGroups
        }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    /// Colon-separated hex groups; an empty string is no groups.
    private static func parseGroups(_ text: Substring, ipv4TailAllowed: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if ipv4TailAllowed && index == parts.count - 1 && part.contains(".") {
                guard let quad = parseDottedQuad(part) else { return nil }
                groups.append(UInt16(quad[0]) << 8 | UInt16(quad[1]))
                groups.append(UInt16(quad[2]) << 8 | UInt16(quad[3]))
                continue
            }
            guard (1...4).contains(part.utf8.count), part.utf8.allSatisfy(isHexDigit),
                let group = UInt16(part, radix: 16)
            else { return nil }
            groups.append(group)
        }
        return groups
    }

    /// The BSD `inet_aton` grammar: `a`, `a.b`, `a.b.c` or `a.b.c.d`, each part decimal, octal
    /// or hex; every part but the last is one byte, the last fills the bytes left.
    private static func parseInetAton(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt32] = []
        for part in parts {
            guard let value = parseInetAtonPart(part) else { return nil }
            values.append(value)
        }
        let last = values.removeLast()
        guard values.allSatisfy({ $0 <= 0xff }) else { return nil }
        let lastPartBits = 32 - 8 * values.count
        guard lastPartBits == 32 || last < (1 << UInt32(lastPartBits)) else { return nil }
        var address = last
        for (index, value) in values.enumerated() {
            address |= value << UInt32(24 - 8 * index)
        }
        return [UInt8(address >> 24), UInt8((address >> 16) & 0xff), UInt8((address >> 8) & 0xff), UInt8(address & 0xff)]
    }

    /// `0x…` is hex (`0x` alone is zero, as in `inet_aton`), `0…` is octal, otherwise decimal.
    private static func parseInetAtonPart(_ part: Substring) -> UInt32? {
        let utf8 = part.utf8
        guard let first = utf8.first else { return nil }
        if utf8.count >= 2 && first == UInt8(ascii: "0") && (utf8.dropFirst().first.map { $0 | 0x20 } == UInt8(ascii: "x")) {
            let digits = part.dropFirst(2)
            guard !digits.isEmpty else { return 0 }
            guard digits.utf8.allSatisfy(isHexDigit) else { return nil }
            return UInt32(digits, radix: 16)
        }
        if utf8.count >= 2 && first == UInt8(ascii: "0") {
            guard utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }) else { return nil }
            return UInt32(part, radix: 8)
        }
        guard utf8.allSatisfy(isDecimalDigit) else { return nil }
        return UInt32(part, radix: 10)
    }

    private static func isDecimalDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDecimalDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }
}
