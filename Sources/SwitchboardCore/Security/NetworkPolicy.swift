/// Which addresses outbound webhook deliveries may reach: the SSRF guard.
///
/// By default only publicly routable unicast addresses are allowed; loopback, private,
/// link-local, CGNAT, documentation, multicast and the other special-purpose ranges are
/// refused. IPv6 addresses that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64,
/// 6to4) are judged by the IPv4 address they carry, so `::ffff:127.0.0.1` is loopback.
///
/// Checked twice: ``refusal(forHost:)`` when an endpoint is created, on its URL's host, and
/// ``refusal(forAddress:)`` in the transport on every address the host resolves to at send time.
public struct NetworkPolicy: AddressGuard, Sendable, Hashable {
    /// Lets through everything refused by default except multicast and broadcast, which
    /// cannot carry a TCP connection: for local development (`--dev`).
    public let allowPrivateNetworks: Bool
    /// Blocks allowed whatever else the policy says, checked first: for a VPN or tailnet range
    /// the deliveries must reach (`100.64.0.0/10`, `10.8.0.0/16`).
    public let allowedNetworks: [IPNetwork]

    /// Only public unicast addresses, nothing opened: the default.
    public static let publicOnly = NetworkPolicy()

    /// - Parameters:
    ///   - allowPrivateNetworks: allow every special-purpose range except multicast and broadcast.
    ///   - allowedNetworks: blocks allowed before any other check.
    public init(allowPrivateNetworks: Bool = false, allowedNetworks: [IPNetwork] = []) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.allowedNetworks = allowedNetworks
    }

    /// `nil` if deliveries may connect to `address`; otherwise why not, naming the address and
    /// the range (`"169.254.169.254 is link-local (169.254.0.0/16)"`).
    public func refusal(for address: IPAddress) -> String? {
        if isExplicitlyAllowed(address) { return nil }
        let carried = Self.carriedIPv4Addresses(address)
        guard !carried.isEmpty else {
            return refusedRange(for: address).map { "\(address) is \($0.name) (\($0.network))" }
        }
        for ipv4 in carried where !isExplicitlyAllowed(ipv4) {
            if let range = refusedRange(for: ipv4) {
                return "\(address) carries \(ipv4), which is \(range.name) (\(range.network))"
            }
        }
        return nil
    }

    /// ``refusal(for:)`` on raw bytes; refuses anything that is not 4 or 16 bytes long.
    public func refusal(forAddress address: [UInt8]) -> String? {
        guard let address = IPAddress(bytes: address) else {
            return "an address of \(address.count) bytes is neither IPv4 nor IPv6"
        }
        return refusal(for: address)
    }

    /// Validates an endpoint URL's host when the endpoint is created.
    ///
    /// Refuses `localhost` and `*.localhost` names (RFC 6761; any case, with or without a
    /// trailing dot) unless loopback is allowed, and any address literal, in every spelling
    /// ``IPAddress/fromHostLiteral(_:)`` understands (`127.1`, `0x7f000001`, `[::ffff:7f00:1]`),
    /// that ``refusal(for:)`` refuses. Returns `nil` for ordinary names: what they resolve to
    /// is checked at send time.
    public func refusal(forHost host: String) -> String? {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name.hasSuffix(".localhost") {
            guard let reason = refusal(for: Self.ipv4Loopback) else { return nil }
            return "\(host) is a localhost name, and \(reason)"
        }
        guard let address = IPAddress.fromHostLiteral(host) else { return nil }
        guard let reason = refusal(for: address) else { return nil }
        let spelledCanonically = host == address.description || host == "[\(address)]"
        return spelledCanonically ? reason : "\(host) means \(address); \(reason)"
    }

    private func isExplicitlyAllowed(_ address: IPAddress) -> Bool {
        allowedNetworks.contains { $0.contains(address) }
    }

    /// The first special-purpose range holding `address` that this policy refuses, if any.
    private func refusedRange(for address: IPAddress) -> SpecialRange? {
        guard let range = Self.specialRanges.first(where: { $0.network.contains(address) }) else { return nil }
        if allowPrivateNetworks && range.carriesUnicast { return nil }
        return range
    }

    // MARK: - IPv4 carried in IPv6

    private static let localUseNAT64 = network("64:ff9b:1::/48")

    /// The IPv4 addresses an IPv6 address may stand for; empty for IPv4 and plain IPv6.
    ///
    /// The local-use NAT64 prefix `64:ff9b:1::/48` (RFC 8215) is carved up by each network,
    /// and where the IPv4 address sits depends on the prefix length it uses (RFC 6052 §2.2).
    /// Every layout the address fits (its suffix bytes are zero) is returned, and all of them
    /// must pass, so no layout can smuggle in an address the others hide.
    private static func carriedIPv4Addresses(_ address: IPAddress) -> [IPAddress] {
        if let ipv4 = address.embeddedIPv4 { return [ipv4] }
        guard localUseNAT64.contains(address) else { return [] }
        let bytes = address.bytes
        return nat64Layouts
            .filter { layout in bytes[layout.suffixStart...].allSatisfy { $0 == 0 } }
            .map { layout in IPAddress(validBytes: layout.ipv4Bytes.map { bytes[$0] }) }
    }

    /// RFC 6052 layouts for prefixes of /48 or longer: which bytes hold the IPv4 address
    /// (byte 8 is always skipped) and where the all-zero suffix begins.
    private static let nat64Layouts: [(ipv4Bytes: [Int], suffixStart: Int)] = [
        ([6, 7, 9, 10], 11),  // /48
        ([7, 9, 10, 11], 12),  // /56
        ([9, 10, 11, 12], 13),  // /64
        ([12, 13, 14, 15], 16),  // /96
    ]

    // MARK: - Special-purpose ranges

    private static let ipv4Loopback = IPAddress(validBytes: [127, 0, 0, 1])

    private struct SpecialRange: Sendable {
        let network: IPNetwork
        /// Reads after "is": `"10.0.0.1 is private (10.0.0.0/8)"`.
        let name: String
        /// `false` for multicast and broadcast, refused even with `allowPrivateNetworks`.
        let carriesUnicast: Bool
    }

    private static func range(_ cidr: String, _ name: String, carriesUnicast: Bool = true) -> SpecialRange {
        SpecialRange(network: network(cidr), name: name, carriesUnicast: carriesUnicast)
    }

    private static func network(_ cidr: String) -> IPNetwork {
        guard let network = IPNetwork(cidr) else { preconditionFailure("bad CIDR in the range table: \(cidr)") }
        return network
    }

    /// Refused by default (IANA special-purpose registries, RFC 6890 and later). The first
    /// match names the range, so a block nested in another comes before it.
    private static let specialRanges: [SpecialRange] = [
        range("0.0.0.0/8", #"reserved for "this network""#),
        range("10.0.0.0/8", "private"),
        range("100.64.0.0/10", "CGNAT shared address space"),
        range("127.0.0.0/8", "loopback"),
        range("169.254.0.0/16", "link-local"),
        range("172.16.0.0/12", "private"),
        range("192.0.0.0/24", "reserved for IETF protocol assignments"),
        range("192.0.2.0/24", "documentation"),
        range("192.88.99.0/24", "6to4 relay anycast"),
        range("192.168.0.0/16", "private"),
        range("198.18.0.0/15", "benchmarking"),
        range("198.51.100.0/24", "documentation"),
        range("203.0.113.0/24", "documentation"),
        range("224.0.0.0/4", "multicast", carriesUnicast: false),
        range("255.255.255.255/32", "broadcast", carriesUnicast: false),
        range("240.0.0.0/4", "reserved"),

        range("::/128", "unspecified"),
        range("::1/128", "loopback"),
        range("100::/64", "discard-only"),
        range("2001::/32", "Teredo"),
        range("2001::/23", "reserved for IETF protocol assignments"),
        range("2001:db8::/32", "documentation"),
        range("3fff::/20", "documentation"),
        range("fc00::/7", "unique-local"),
        range("fe80::/10", "link-local"),
        range("fec0::/10", "site-local (deprecated)"),
        range("ff00::/8", "multicast", carriesUnicast: false),
    ]
}
