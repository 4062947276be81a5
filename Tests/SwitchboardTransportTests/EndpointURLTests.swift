import Testing

@testable import SwitchboardTransport

@Suite("Endpoint URLs taken apart")
struct EndpointURLTests {
    @Test("host, port, target and Host header")
    func parts() throws {
        let url = try EndpointURL(parsing: "https://user:pw@Hooks.Example.com:8443/in/a?b=1#frag")
        #expect(url.scheme == .https)
        #expect(url.host == "hooks.example.com")
        #expect(url.port == 8443)
        #expect(url.target == "/in/a?b=1")
        #expect(url.hostHeader == "hooks.example.com:8443")
        #expect(url.literalAddress == nil)
        #expect(url.serverHostname == "hooks.example.com")
    }

    @Test("default ports leave the Host header bare; no path means /")
    func defaults() throws {
        let plain = try EndpointURL(parsing: "http://example.com")
        #expect(plain.port == 80 && plain.target == "/" && plain.hostHeader == "example.com")
        let query = try EndpointURL(parsing: "https://example.com?x=1")
        #expect(query.port == 443 && query.target == "/?x=1" && query.hostHeader == "example.com")
    }

    @Test("IP literals are recognised, IPv6 in brackets")
    func literals() throws {
        let v4 = try EndpointURL(parsing: "http://127.0.0.1:9000/ok")
        #expect(v4.literalAddress != nil && v4.serverHostname == nil)
        let v6 = try EndpointURL(parsing: "http://[::1]:9000/ok")
        #expect(v6.host == "::1" && v6.hostHeader == "[::1]:9000" && v6.literalAddress != nil)
    }

    @Test("what cannot be requested is refused", arguments: [
        "ftp://example.com/", "example.com/path", "http:///path", "http://example.com:0/", "http://example.com:99999/",
        "http://[::1/", "http://exa mple.com/", "http://example.com/a b",
    ])
    func invalid(url: String) {
        #expect(throws: EndpointURL.Invalid.self) { try EndpointURL(parsing: url) }
    }
}
