import Foundation

/// Where deliveries may go, by URL: the scheme, the host's address when it is a literal, and
/// never Switchboard itself. The transport checks every resolved address again at send time
/// (``NetworkPolicy``), so a name that resolves to a refused address is still refused.
public struct DestinationPolicy: Sendable, Hashable {
    /// Which addresses deliveries may connect to.
    public var network: NetworkPolicy
    /// `http://` URLs allowed (the `--dev` switch); HTTPS only otherwise.
    public var allowsPlainHTTP: Bool
    /// `host:port` pairs of Switchboard's own API and ingest URLs (lower-cased; the port is
    /// always present), refused even in dev mode so an endpoint cannot feed an event back in.
    public var ownAuthorities: Set<String>

    /// HTTPS to public addresses only: the default.
    public static let secure = DestinationPolicy()
    /// Loopback, private networks and plain http allowed: local development.
    public static let development = DestinationPolicy(network: NetworkPolicy(allowPrivateNetworks: true), allowsPlainHTTP: true)

    public init(network: NetworkPolicy = .publicOnly, allowsPlainHTTP: Bool = false, ownAuthorities: Set<String> = []) {
        self.network = network
        self.allowsPlainHTTP = allowsPlainHTTP
        self.ownAuthorities = ownAuthorities
    }

    /// The same policy refusing deliveries to each of `urls` (the server's own base URLs).
    /// A server on a loopback or wildcard address is also reached through every loopback name.
    public func refusingDeliveries(to urls: [String]) -> DestinationPolicy {
        var policy = self
        for url in urls {
            guard let components = URLComponents(string: url), let authority = Self.authority(components), let host = components.host
            else { continue }
            policy.ownAuthorities.insert(authority)
            guard Self.isLocal(host) else { continue }
            let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
            for alias in ["127.0.0.1", "localhost", "[::1]"] { policy.ownAuthorities.insert("\(alias):\(port)") }
        }
        return policy
    }

    /// Whether `host` is a loopback or wildcard address, or `localhost`.
    private static func isLocal(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        guard let address = IPAddress.fromHostLiteral(host) else { return false }
        let bytes = address.bytes
        if bytes.count == 4 { return bytes[0] == 127 || bytes.allSatisfy { $0 == 0 } }
        return bytes.dropLast().allSatisfy { $0 == 0 } && (bytes[15] == 0 || bytes[15] == 1)
    }

    /// `nil` when deliveries may be sent to `url`; otherwise why not, for the caller.
    public func refusal(forURL url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { return "is not an absolute URL with a host" }
        if scheme == "http", !allowsPlainHTTP {
            return "must use https:// (plain http:// is allowed only with --dev)"
        }
        if let authority = Self.authority(components), ownAuthorities.contains(authority) {
            return "points at this Switchboard server itself, which would feed every delivery back in"
        }
        if let refusal = network.refusal(forHost: host) {
            return "is not allowed: \(refusal); deliveries never go to private networks unless delivery.allowed_networks opens them (or --dev for local work)"
        }
        return nil
    }

    /// `host:port`, lower-cased, with the scheme's default port filled in.
    static func authority(_ components: URLComponents) -> String? {
        guard let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(bracketed):\(port)"
    }
}
