/// A block of addresses in CIDR form: `10.0.0.0/8`, `fd00::/8`.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block; host bits are always zero.
    public let address: IPAddress
    /// How many leading bits every address in the block shares: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int

    /// A block from an address and a prefix length; host bits in `address` are cleared.
    /// `nil` if `prefixLength` is negative or longer than the address.
    public init?(address: IPAddress, prefixLength: Int) {
        guard (0...address.bitWidth).contains(prefixLength) else { return nil }
        self.address = IPAddress(validBytes: Self.masked(address.bytes, prefixLength: prefixLength))
        self.prefixLength = prefixLength
    }

    /// Parses `address/length` (`10.0.0.0/8`, `fd00::/8`), or a bare address as a block of
    /// one (`/32` or `/128`). The address is read strictly, as by ``IPAddress/init(_:)``;
    /// host bits are accepted and cleared (`10.1.2.3/8` is `10.0.0.0/8`).
    /// `nil` for a bad address or a prefix length that is not 0–32 (IPv4) or 0–128 (IPv6).
    public init?(_ cidr: String) {
        let pieces = cidr.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(pieces[0])) else { return nil }
        guard pieces.count == 2 else {
            self.init(address: address, prefixLength: address.bitWidth)
            return
        }
        let length = pieces[1]
        guard (1...3).contains(length.utf8.count),
            length.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let prefixLength = Int(length)
        else { return nil }
        self.init(address: address, prefixLength: prefixLength)
    }

    /// Whether `address` is in the block. An address of the other family never is: IPv4
    /// networks do not match IPv4-mapped IPv6 addresses (``NetworkPolicy`` unmaps those itself).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.family == self.address.family else { return false }
        return Self.masked(address.bytes, prefixLength: prefixLength) == self.address.bytes
    }

    /// `address/prefixLength`, with the address in canonical form.
    public var description: String { "\(address)/\(prefixLength)" }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsKept = min(max(prefixLength - index * 8, 0), 8)
            return bitsKept == 0 ? 0 : byte & ~UInt8(0xff >> bitsKept)
        }
    }
}
