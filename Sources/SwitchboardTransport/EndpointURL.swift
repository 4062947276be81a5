import NIOCore

/// An endpoint URL taken apart once: what to dial, what to put in the request line and the `Host` header.
///
/// A small parser of `http[s]://[userinfo@]host[:port][/path][?query][#fragment]` rather than Foundation's,
/// because the transport runs it for every URL it has not seen yet and needs only these pieces.
struct EndpointURL: Sendable, Hashable {
    enum Scheme: String, Sendable, Hashable {
        case http, https
        var defaultPort: Int { self == .http ? 80 : 443 }
    }

    var scheme: Scheme
    /// The host as written, lowercased, without IPv6 brackets.
    var host: String
    var port: Int
    /// Path and query for the request line; `/` when the URL has none.
    var target: String
    /// The `Host` header: the host (bracketed for IPv6) with the port when it is not the scheme's default.
    var hostHeader: String
    /// The address when the host is an IP literal: it skips DNS but still goes through the guard.
    var literalAddress: SocketAddress?

    /// Why a URL cannot be requested.
    struct Invalid: Error {
        var reason: String
    }

    init(parsing url: String) throws(Invalid) {
        let text = Substring(url)
        guard let schemeEnd = text.range(of: "://") else { throw Invalid(reason: "the URL has no scheme") }
        guard let scheme = Scheme(rawValue: text[..<schemeEnd.lowerBound].lowercased()) else {
            throw Invalid(reason: "only http and https URLs can be requested")
        }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        var hostPart: Substring
        var portPart: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { throw Invalid(reason: "the IPv6 host has no closing bracket") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let afterClose = authority[authority.index(after: close)...]
            if !afterClose.isEmpty {
                guard afterClose.first == ":" else { throw Invalid(reason: "unexpected text after the IPv6 host") }
                portPart = afterClose.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
        }
        guard !hostPart.isEmpty else { throw Invalid(reason: "the URL has no host") }
        guard hostPart.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "%" }) || hostPart.contains(":") else {
            throw Invalid(reason: "the host contains characters that cannot be requested")
        }
        var port = scheme.defaultPort
        if let portPart, !portPart.isEmpty {
            guard let parsed = Int(portPart), (1...65535).contains(parsed) else { throw Invalid(reason: "the port is not a number from 1 to 65535") }
            port = parsed
        }

        var target = rest[authorityEnd...]
        if let hash = target.firstIndex(of: "#") { target = target[..<hash] }
        var requestTarget = String(target)
        if requestTarget.isEmpty || requestTarget.first == "?" { requestTarget = "/" + requestTarget }
        guard !requestTarget.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else {
            throw Invalid(reason: "the path contains spaces or line breaks")
        }

        self.scheme = scheme
        self.host = hostPart.lowercased()
        self.port = port
        self.target = requestTarget
        let isIPv6 = self.host.contains(":")
        let bracketed = isIPv6 ? "[\(self.host)]" : self.host
        self.hostHeader = port == scheme.defaultPort ? bracketed : "\(bracketed):\(port)"
        self.literalAddress = try? SocketAddress(ipAddress: self.host, port: port)
        if isIPv6 && literalAddress == nil { throw Invalid(reason: "the IPv6 host is not a valid address") }
    }

    /// Name for TLS SNI and certificate checks: the host, or `nil` for an IP literal (checked against the IP).
    var serverHostname: String? { literalAddress == nil ? host : nil }
}

/// Which pool a request goes to: connections are never shared across endpoints, even to one host and port.
struct PoolKey: Hashable, Sendable {
    var endpointID: String
    var scheme: EndpointURL.Scheme
    var host: String
    var port: Int
}
