import Testing
@testable import SwitchboardCore

@Suite("IP addresses")
struct IPAddressTests {
    @Test("strict parsing reads every standard form and prints it canonically", arguments: [
        ("1.2.3.4", "1.2.3.4"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("[::1]", "::1"),
        ("1::", "1::"),
        ("fe80::1", "fe80::1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
        ("2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("2606:4700:4700::1111", "2606:4700:4700::1111"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("::ffff:7f00:1", "::ffff:127.0.0.1"),
        ("::127.0.0.1", "::7f00:1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
    ])
    func canonicalText(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address, "the canonical form parses back to the same address")
    }

    @Test("strict parsing rejects lenient IPv4, zone ids and garbage", arguments: [
        "", " ", "1.2.3.4.5", "256.1.1.1", "1.2.3", "1.2.3.", "1..2.3", ".1.2.3", "127.1", "2130706433",
        "0x7f000001", "0177.0.0.1", "01.2.3.4", " 1.2.3.4", "1.2.3.4 ", "+1.2.3.4", "1.2.3.-4", "١.٢.٣.٤",
        "::1::", "1:::2", ":::", ":1::", "1::2:", ":", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        "12345::", "g::", "::-1", "fe80::1%eth0", "[fe80::1%eth0]", "[::1", "::1]", "[]", "[1.2.3.4]",
        "::1.2.3.4:5", "1.2.3.4::", "::256.0.0.1", "::ffff:1.2.3", "example.com", "localhost",
    ])
    func strictRejects(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("bytes make an address only when there are 4 or 16 of them", arguments: [0, 1, 3, 4, 5, 15, 16, 17, 32])
    func byteCounts(count: Int) {
        let address = IPAddress(bytes: Array(repeating: 1, count: count))
        #expect((address != nil) == (count == 4 || count == 16))
        #expect(address?.family == (count == 4 ? .ipv4 : count == 16 ? .ipv6 : nil))
    }

    @Test("bytes are kept in network order")
    func networkOrder() {
        #expect(IPAddress("192.0.2.1")?.bytes == [192, 0, 2, 1])
        #expect(IPAddress("2001:db8::ff")?.bytes == [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [0xff])
        #expect(IPAddress(bytes: [127, 0, 0, 1])?.description == "127.0.0.1")
        #expect(IPAddress("::1")?.bitWidth == 128)
        #expect(IPAddress("1.2.3.4")?.bitWidth == 32)
    }

    @Test("host literals are read the way resolvers and inet_aton read them", arguments: [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0177.0000.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("010.0.0.1", "8.0.0.1"),
        ("1.0x10.0", "1.16.0.0"),
        ("192.168.257", "192.168.1.1"),
        ("0", "0.0.0.0"),
        ("0x", "0.0.0.0"),
        ("4294967295", "255.255.255.255"),
        ("[::1]", "::1"),
        ("::1", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("[::ffff:7f00:1]", "::ffff:127.0.0.1"),
        ("[fe80::1%25eth0]", "fe80::1"),
        ("fe80::1%eth0", "fe80::1"),
    ])
    func hostLiterals(host: String, address: String) {
        #expect(IPAddress.fromHostLiteral(host)?.description == address)
    }

    @Test("host names and malformed numbers are not host literals", arguments: [
        "", "example.com", "1.2.3.example", "example.123", "localhost", "4294967296", "1.2.3.256", "256.1.1",
        "1.16777216", "1.2.65536", "1.2.3.4.5", "08.0.0.1", "0x1g", "1..1", ".1", "1.2.3.4..", "-1", "+1", "99999999999999999999",
        "[example.com]", "[127.0.0.1]", "[::1", "::1::",
    ])
    func notHostLiterals(host: String) {
        #expect(IPAddress.fromHostLiteral(host) == nil)
    }

    @Test("the IPv4 address inside an IPv6 one", arguments: [
        ("::ffff:1.2.3.4", "1.2.3.4"),
        ("::1.2.3.4", "1.2.3.4"),
        ("::2", "0.0.0.2"),
        ("64:ff9b::1.2.3.4", "1.2.3.4"),
        ("2002:102:304::", "1.2.3.4"),
        ("2002:7f00:1:5::6", "127.0.0.1"),
    ] as [(String, String)])
    func embedded(text: String, ipv4: String) {
        #expect(IPAddress(text)?.embeddedIPv4?.description == ipv4)
    }

    @Test("addresses that carry no IPv4 address", arguments: [
        "::", "::1", "1.2.3.4", "2001:db8::1", "::ffff:0:1.2.3.4", "64:ff9b:0:0:1::", "64:ff9b:1::1.2.3.4",
        "2003:102:304::",
    ])
    func notEmbedded(text: String) throws {
        #expect(try #require(IPAddress(text)).embeddedIPv4 == nil)
    }

    @Test("equal addresses hash alike whatever their spelling")
    func hashable() {
        let spellings: Set<IPAddress?> = [IPAddress("2001:db8::1"), IPAddress("2001:DB8:0:0::0:1"), IPAddress("[2001:db8::1]")]
        #expect(spellings.count == 1)
        #expect(IPAddress("::ffff:1.2.3.4") != IPAddress("1.2.3.4"))
    }
}
