import Testing
@testable import SwitchboardCore

@Suite("Network policy")
struct NetworkPolicyTests {
    func refusal(_ text: String, by policy: NetworkPolicy = .publicOnly) throws -> String? {
        policy.refusal(for: try #require(IPAddress(text), "\(text) should parse"))
    }

    /// Each special-purpose range at its edges: first and last address inside, and the
    /// nearest addresses outside (`nil`: allowed).
    @Test("every special-purpose range is refused from edge to edge", arguments: [
        ("0.0.0.0", #"reserved for "this network" (0.0.0.0/8)"#),
        ("0.255.255.255", #"reserved for "this network" (0.0.0.0/8)"#),
        ("1.0.0.0", nil),
        ("9.255.255.255", nil),
        ("10.0.0.0", "private (10.0.0.0/8)"),
        ("10.255.255.255", "private (10.0.0.0/8)"),
        ("11.0.0.0", nil),
        ("100.63.255.255", nil),
        ("100.64.0.0", "CGNAT shared address space (100.64.0.0/10)"),
        ("100.127.255.255", "CGNAT shared address space (100.64.0.0/10)"),
        ("100.128.0.0", nil),
        ("126.255.255.255", nil),
        ("127.0.0.0", "loopback (127.0.0.0/8)"),
        ("127.255.255.255", "loopback (127.0.0.0/8)"),
        ("128.0.0.0", nil),
        ("169.253.255.255", nil),
        ("169.254.0.0", "link-local (169.254.0.0/16)"),
        ("169.254.255.255", "link-local (169.254.0.0/16)"),
        ("169.255.0.0", nil),
        ("172.15.255.255", nil),
        ("172.16.0.0", "private (172.16.0.0/12)"),
        ("172.31.255.255", "private (172.16.0.0/12)"),
        ("172.32.0.0", nil),
        ("191.255.255.255", nil),
        ("192.0.0.0", "reserved for IETF protocol assignments (192.0.0.0/24)"),
        ("192.0.0.255", "reserved for IETF protocol assignments (192.0.0.0/24)"),
        ("192.0.1.0", nil),
        ("192.0.1.255", nil),
        ("192.0.2.0", "documentation (192.0.2.0/24)"),
        ("192.0.2.255", "documentation (192.0.2.0/24)"),
        ("192.0.3.0", nil),
        ("192.88.98.255", nil),
        ("192.88.99.0", "6to4 relay anycast (192.88.99.0/24)"),
        ("192.88.99.255", "6to4 relay anycast (192.88.99.0/24)"),
        ("192.88.100.0", nil),
        ("192.167.255.255", nil),
        ("192.168.0.0", "private (192.168.0.0/16)"),
        ("192.168.255.255", "private (192.168.0.0/16)"),
        ("192.169.0.0", nil),
        ("198.17.255.255", nil),
        ("198.18.0.0", "benchmarking (198.18.0.0/15)"),
        ("198.19.255.255", "benchmarking (198.18.0.0/15)"),
        ("198.20.0.0", nil),
        ("198.51.99.255", nil),
        ("198.51.100.0", "documentation (198.51.100.0/24)"),
        ("198.51.100.255", "documentation (198.51.100.0/24)"),
        ("198.51.101.0", nil),
        ("203.0.112.255", nil),
        ("203.0.113.0", "documentation (203.0.113.0/24)"),
        ("203.0.113.255", "documentation (203.0.113.0/24)"),
        ("203.0.114.0", nil),
        ("223.255.255.255", nil),
        ("224.0.0.0", "multicast (224.0.0.0/4)"),
        ("239.255.255.255", "multicast (224.0.0.0/4)"),
        ("240.0.0.0", "reserved (240.0.0.0/4)"),
        ("255.255.255.254", "reserved (240.0.0.0/4)"),
        ("255.255.255.255", "broadcast (255.255.255.255/32)"),

        ("::", "unspecified (::/128)"),
        ("::1", "loopback (::1/128)"),
        ("ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nil),
        ("100::", "discard-only (100::/64)"),
        ("100::ffff:ffff:ffff:ffff", "discard-only (100::/64)"),
        ("100:0:0:1::", nil),
        ("2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nil),
        ("2001::", "Teredo (2001::/32)"),
        ("2001:0:ffff:ffff:ffff:ffff:ffff:ffff", "Teredo (2001::/32)"),
        ("2001:1::", "reserved for IETF protocol assignments (2001::/23)"),
        ("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved for IETF protocol assignments (2001::/23)"),
        ("2001:200::", nil),
        ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", nil),
        ("2001:db8::", "documentation (2001:db8::/32)"),
        ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "documentation (2001:db8::/32)"),
        ("2001:db9::", nil),
        ("3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nil),
        ("3fff::", "documentation (3fff::/20)"),
        ("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "documentation (3fff::/20)"),
        ("3fff:1000::", nil),
        ("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nil),
        ("fc00::", "unique-local (fc00::/7)"),
        ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique-local (fc00::/7)"),
        ("fe00::", nil),
        ("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", nil),
        ("fe80::", "link-local (fe80::/10)"),
        ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "link-local (fe80::/10)"),
        ("fec0::", "site-local (deprecated) (fec0::/10)"),
        ("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "site-local (deprecated) (fec0::/10)"),
        ("ff00::", "multicast (ff00::/8)"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "multicast (ff00::/8)"),
    ] as [(String, String?)])
    func rangeEdges(text: String, range: String?) throws {
        let address = try #require(IPAddress(text))
        #expect(NetworkPolicy.publicOnly.refusal(for: address) == range.map { "\(address) is \($0)" })
    }

    @Test("public addresses are allowed", arguments: [
        "8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8", "::8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "64:ff9b:1::808:808",
    ])
    func publicAllowed(text: String) throws {
        #expect(try refusal(text) == nil)
    }

    @Test("IPv6 forms that carry an IPv4 address are judged by it", arguments: [
        ("::ffff:127.0.0.1", "127.0.0.1", "loopback (127.0.0.0/8)"),
        ("::ffff:7f00:1", "127.0.0.1", "loopback (127.0.0.0/8)"),
        ("::ffff:10.0.0.1", "10.0.0.1", "private (10.0.0.0/8)"),
        ("::ffff:169.254.169.254", "169.254.169.254", "link-local (169.254.0.0/16)"),
        ("::ffff:0.0.0.0", "0.0.0.0", #"reserved for "this network" (0.0.0.0/8)"#),
        ("::127.0.0.1", "127.0.0.1", "loopback (127.0.0.0/8)"),
        ("::2", "0.0.0.2", #"reserved for "this network" (0.0.0.0/8)"#),
        ("64:ff9b::7f00:1", "127.0.0.1", "loopback (127.0.0.0/8)"),
        ("64:ff9b::192.168.1.1", "192.168.1.1", "private (192.168.0.0/16)"),
        ("2002:7f00:1::", "127.0.0.1", "loopback (127.0.0.0/8)"),
        ("2002:a9fe:a9fe::1", "169.254.169.254", "link-local (169.254.0.0/16)"),
        ("64:ff9b:1::7f00:1", "127.0.0.1", "loopback (127.0.0.0/8)"),
        // Local-use NAT64 in the /64 layout: 127.0.0.1 sits in bytes 9–12.
        ("64:ff9b:1:0:7f:0:100:0", "127.0.0.1", "loopback (127.0.0.0/8)"),
        // In the /48 layout with zero suffix, bytes 6, 7, 9 and 10.
        ("64:ff9b:1:a00:1:100::", "10.0.1.1", "private (10.0.0.0/8)"),
    ])
    func embeddedJudged(text: String, ipv4: String, range: String) throws {
        let address = try #require(IPAddress(text))
        #expect(NetworkPolicy.publicOnly.refusal(for: address) == "\(address) carries \(ipv4), which is \(range)")
    }

    @Test("the cloud metadata address is named with its range")
    func metadataMessage() throws {
        #expect(try refusal("169.254.169.254") == "169.254.169.254 is link-local (169.254.0.0/16)")
    }

    @Test("the transport's byte form gives the same answers and fails closed")
    func addressGuardBytes() {
        let addressGuard: any AddressGuard = NetworkPolicy.publicOnly
        #expect(addressGuard.refusal(forAddress: [127, 0, 0, 1]) == "127.0.0.1 is loopback (127.0.0.0/8)")
        #expect(addressGuard.refusal(forAddress: [8, 8, 8, 8]) == nil)
        #expect(addressGuard.refusal(forAddress: Array(repeating: 0, count: 15) + [1]) == "::1 is loopback (::1/128)")
        #expect(addressGuard.refusal(forAddress: [0x26, 0x06, 0x47, 0, 0x47, 0] + Array(repeating: 0, count: 8) + [0x11, 0x11]) == nil)
        #expect(addressGuard.refusal(forAddress: [1, 2, 3]) == "an address of 3 bytes is neither IPv4 nor IPv6")
        #expect(addressGuard.refusal(forAddress: []) != nil)
    }

    @Test("allowed networks open a range, and only that range")
    func allowedNetworks() throws {
        let policy = NetworkPolicy(allowedNetworks: [try #require(IPNetwork("10.8.0.0/16"))])
        #expect(try refusal("10.8.0.0", by: policy) == nil)
        #expect(try refusal("10.8.255.255", by: policy) == nil)
        #expect(try refusal("::ffff:10.8.3.4", by: policy) == nil, "the IPv4 form of an embedded address is checked too")
        #expect(try refusal("10.9.0.1", by: policy) == "10.9.0.1 is private (10.0.0.0/8)")
        #expect(try refusal("10.7.255.255", by: policy) != nil)
        #expect(try refusal("127.0.0.1", by: policy) != nil)
    }

    @Test("allowed networks open a tailnet, and IPv6 forms are matched as written")
    func allowedTailnetAndIPv6() throws {
        let tailnet = NetworkPolicy(allowedNetworks: [try #require(IPNetwork("100.64.0.0/10"))])
        #expect(try refusal("100.100.100.100", by: tailnet) == nil)
        #expect(try refusal("100.127.255.255", by: tailnet) == nil)

        let mapped = NetworkPolicy(allowedNetworks: [try #require(IPNetwork("::ffff:10.8.0.0/112"))])
        #expect(try refusal("::ffff:10.8.0.1", by: mapped) == nil)
        #expect(try refusal("10.8.0.1", by: mapped) != nil)

        let localNAT64 = NetworkPolicy(allowedNetworks: [try #require(IPNetwork("64:ff9b:1::/48"))])
        #expect(try refusal("64:ff9b:1::a00:1", by: localNAT64) == nil)

        let uniqueLocal = NetworkPolicy(allowedNetworks: [try #require(IPNetwork("fd7a:115c:a1e0::/48"))])
        #expect(try refusal("fd7a:115c:a1e0::1", by: uniqueLocal) == nil)
        #expect(try refusal("fd7a:115c:a1e1::1", by: uniqueLocal) != nil)
    }

    @Test("the development policy allows local networks", arguments: [
        "127.0.0.1", "192.168.1.1", "10.0.0.1", "172.16.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "240.0.0.1", "198.18.0.1", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "2001:db8::1", "8.8.8.8",
    ])
    func developmentAllows(text: String) throws {
        #expect(try refusal(text, by: NetworkPolicy(allowPrivateNetworks: true)) == nil)
    }

    @Test("the development policy still refuses multicast and broadcast", arguments: [
        ("224.0.0.1", "224.0.0.1 is multicast (224.0.0.0/4)"),
        ("239.255.255.250", "239.255.255.250 is multicast (224.0.0.0/4)"),
        ("255.255.255.255", "255.255.255.255 is broadcast (255.255.255.255/32)"),
        ("ff02::1", "ff02::1 is multicast (ff00::/8)"),
        ("::ffff:224.0.0.1", "::ffff:224.0.0.1 carries 224.0.0.1, which is multicast (224.0.0.0/4)"),
    ])
    func developmentRefuses(text: String, message: String) throws {
        #expect(try refusal(text, by: NetworkPolicy(allowPrivateNetworks: true)) == message)
    }

    @Test("every spelling of loopback in a URL host is refused", arguments: [
        "127.0.0.1", "2130706433", "0x7f000001", "127.1", "127.0.1", "0177.0.0.1", "0x7f.1", "127.0.0.1.",
        "[::1]", "::1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[64:ff9b::7f00:1]",
        "[2002:7f00:1::]", "[0:0:0:0:0:0:0:1]",
    ])
    func loopbackHosts(host: String) {
        let reason = NetworkPolicy.publicOnly.refusal(forHost: host)
        #expect(reason?.contains("loopback (127.0.0.0/8)") == true || reason?.contains("loopback (::1/128)") == true)
    }

    @Test("host literals outside loopback are refused by their range", arguments: [
        ("0.0.0.0", #"0.0.0.0 is reserved for "this network" (0.0.0.0/8)"#),
        ("0", #"0 means 0.0.0.0; 0.0.0.0 is reserved for "this network" (0.0.0.0/8)"#),
        ("[::]", ":: is unspecified (::/128)"),
        ("169.254.169.254", "169.254.169.254 is link-local (169.254.0.0/16)"),
        ("0xa9fea9fe", "0xa9fea9fe means 169.254.169.254; 169.254.169.254 is link-local (169.254.0.0/16)"),
        ("[fe80::1%25eth0]", "[fe80::1%25eth0] means fe80::1; fe80::1 is link-local (fe80::/10)"),
        ("192.168.1", "192.168.1 means 192.168.0.1; 192.168.0.1 is private (192.168.0.0/16)"),
    ])
    func otherHostLiterals(host: String, message: String) {
        #expect(NetworkPolicy.publicOnly.refusal(forHost: host) == message)
    }

    @Test("localhost names are refused in any case and with a trailing dot", arguments: [
        "localhost", "LOCALHOST", "localhost.", "api.localhost", "Api.LocalHost", "a.b.localhost.",
    ])
    func localhostNames(host: String) {
        #expect(NetworkPolicy.publicOnly.refusal(forHost: host)
            == "\(host) is a localhost name, and 127.0.0.1 is loopback (127.0.0.0/8)")
        #expect(NetworkPolicy(allowPrivateNetworks: true).refusal(forHost: host) == nil)
    }

    @Test("ordinary names and public literals pass creation-time checks", arguments: [
        "example.com", "hooks.example.com", "localhost.example.com", "notlocalhost", "1.2.3.example",
        "8.8.8.8", "134744072", "[2606:4700:4700::1111]", "[::ffff:8.8.8.8]", "",
    ])
    func ordinaryHosts(host: String) {
        #expect(NetworkPolicy.publicOnly.refusal(forHost: host) == nil)
    }

    @Test("publicOnly is the default policy")
    func defaults() {
        #expect(NetworkPolicy.publicOnly == NetworkPolicy())
        #expect(NetworkPolicy.publicOnly.allowPrivateNetworks == false)
        #expect(NetworkPolicy.publicOnly.allowedNetworks.isEmpty)
    }
}
