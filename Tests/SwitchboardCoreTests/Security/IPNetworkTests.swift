import Testing
@testable import SwitchboardCore

@Suite("IP networks")
struct IPNetworkTests {
    @Test("CIDR text parses, with host bits cleared", arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("10.1.2.3/8", "10.0.0.0/8"),
        ("192.168.1.1/31", "192.168.1.0/31"),
        ("172.31.255.255/12", "172.16.0.0/12"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("8.8.8.8/0", "0.0.0.0/0"),
        ("1.2.3.4", "1.2.3.4/32"),
        ("fd00::/8", "fd00::/8"),
        ("FD12:3456::1/8", "fd00::/8"),
        ("fe80::1/10", "fe80::/10"),
        ("::/0", "::/0"),
        ("::1", "::1/128"),
        ("2001:db8::1/128", "2001:db8::1/128"),
    ])
    func parses(cidr: String, canonical: String) throws {
        let network = try #require(IPNetwork(cidr))
        #expect(network.description == canonical)
        #expect(IPNetwork(canonical) == network)
    }

    @Test("bad addresses and prefix lengths are rejected", arguments: [
        "", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/0008",
        "10.0.0.0/8/8", "10.0.0.0/x", "10/8", "::/129", "::/1000", "fe80::%eth0/64", "example.com/8",
    ])
    func rejects(cidr: String) {
        #expect(IPNetwork(cidr) == nil)
    }

    @Test("a prefix length must fit the address")
    func prefixLengthRange() throws {
        let ipv4 = try #require(IPAddress("10.0.0.0"))
        let ipv6 = try #require(IPAddress("fd00::"))
        #expect(IPNetwork(address: ipv4, prefixLength: -1) == nil)
        #expect(IPNetwork(address: ipv4, prefixLength: 33) == nil)
        #expect(IPNetwork(address: ipv4, prefixLength: 32) != nil)
        #expect(IPNetwork(address: ipv6, prefixLength: 129) == nil)
        #expect(IPNetwork(address: ipv6, prefixLength: 128) != nil)
    }

    @Test("containment at the edges of a block", arguments: [
        ("10.0.0.0/8", "10.0.0.0", true),
        ("10.0.0.0/8", "10.255.255.255", true),
        ("10.0.0.0/8", "9.255.255.255", false),
        ("10.0.0.0/8", "11.0.0.0", false),
        ("172.16.0.0/12", "172.16.0.0", true),
        ("172.16.0.0/12", "172.31.255.255", true),
        ("172.16.0.0/12", "172.32.0.0", false),
        ("172.16.0.0/12", "172.15.255.255", false),
        ("1.2.3.4/32", "1.2.3.4", true),
        ("1.2.3.4/32", "1.2.3.5", false),
        ("0.0.0.0/0", "255.255.255.255", true),
        ("fe80::/10", "fe80::", true),
        ("fe80::/10", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true),
        ("fe80::/10", "fec0::", false),
        ("fe80::/10", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false),
        ("::/0", "2001:db8::1", true),
        ("::1/128", "::1", true),
        ("::1/128", "::2", false),
    ])
    func containment(cidr: String, address: String, inside: Bool) throws {
        let network = try #require(IPNetwork(cidr))
        #expect(network.contains(try #require(IPAddress(address))) == inside)
    }

    @Test("a network never contains an address of the other family")
    func families() throws {
        #expect(try #require(IPNetwork("0.0.0.0/0")).contains(try #require(IPAddress("::ffff:10.0.0.1"))) == false)
        #expect(try #require(IPNetwork("::/0")).contains(try #require(IPAddress("10.0.0.1"))) == false)
        #expect(try #require(IPNetwork("10.0.0.0/8")).contains(try #require(IPAddress("::ffff:10.0.0.1"))) == false)
    }

    @Test("networks compare by block, not by how they were written")
    func equality() {
        #expect(IPNetwork("10.1.2.3/8") == IPNetwork("10.0.0.0/8"))
        #expect(IPNetwork("10.0.0.0/8") != IPNetwork("10.0.0.0/9"))
        #expect(Set([IPNetwork("fd00::1/8"), IPNetwork("fd00::/8")]).count == 1)
    }
}
