import Testing
@testable import SwitchboardCore

@Suite("Which URLs endpoints may point at")
struct DestinationPolicyTests {
    @Test("by default: https to public hosts only", arguments: [
        ("https://hooks.example.com/in", nil as String?),
        ("https://8.8.8.8/hook", nil),
        ("http://hooks.example.com/in", "must use https://"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://localhost:3000/hook", "localhost"),
        ("https://[::1]/hook", "loopback"),
        ("https://[::ffff:127.0.0.1]/hook", "127.0.0.1"),
        ("https://2130706433/hook", "127.0.0.1"),
        ("https://0x7f000001/hook", "127.0.0.1"),
        ("https://127.1/hook", "127.0.0.1"),
        ("https://0.0.0.0/hook", "0.0.0.0"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://10.1.2.3/hook", "10.0.0.0/8"),
        ("https://172.16.0.1/hook", "172.16.0.0/12"),
        ("https://192.168.1.1/hook", "192.168.0.0/16"),
    ])
    func secureByDefault(url: String, refusedBecause: String?) {
        let refusal = DestinationPolicy.secure.refusal(forURL: url)
        if let refusedBecause {
            #expect(refusal?.contains(refusedBecause) == true, "\(url): \(refusal ?? "allowed")")
        } else {
            #expect(refusal == nil, "\(url): \(refusal ?? "")")
        }
    }

    @Test("the dev switch opens loopback, private networks and plain http")
    func development() {
        for url in ["http://127.0.0.1:3000/hooks", "http://localhost:3000/hooks", "https://192.168.1.20/hook", "http://[::1]:9000/x"] {
            #expect(DestinationPolicy.development.refusal(forURL: url) == nil, "\(url)")
        }
    }

    @Test("allowed networks open a chosen range, for a VPN or tailnet")
    func allowedNetworks() throws {
        let tailnet = try #require(IPNetwork("100.64.0.0/10"))
        let policy = DestinationPolicy(network: NetworkPolicy(allowedNetworks: [tailnet]))
        #expect(policy.refusal(forURL: "https://100.101.102.103/hook") == nil)
        #expect(policy.refusal(forURL: "https://10.0.0.1/hook") != nil)
    }

    @Test("the server's own URLs are refused, even in dev mode, through every loopback name")
    func selfLoop() {
        let policy = DestinationPolicy.development.refusingDeliveries(to: ["http://127.0.0.1:8080", "https://hooks.example.com"])
        for url in ["http://127.0.0.1:8080/in/in_abc", "http://localhost:8080/in/x", "http://[::1]:8080/e/ep_1", "https://hooks.example.com/in/in_abc", "https://HOOKS.example.com:443/in"] {
            #expect(policy.refusal(forURL: url)?.contains("itself") == true, "\(url)")
        }
        #expect(policy.refusal(forURL: "http://127.0.0.1:3000/hooks") == nil, "another local port is fine in dev mode")
    }
}
