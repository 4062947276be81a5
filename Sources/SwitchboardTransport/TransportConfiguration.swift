import Foundation
import NIOSSL

/// How ``HTTPDeliveryTransport`` connects: timeouts for new and pooled connections and whom TLS trusts.
public struct TransportConfiguration: Sendable {
    /// Longest wait for a TCP connection to one address, in seconds; always capped by the attempt's deadline.
    public var connectTimeout: TimeInterval
    /// How long a pooled keep-alive connection may sit unused before it is closed, in seconds.
    public var idleTimeout: TimeInterval
    /// The certificates https receivers are verified against: the system's by default.
    public var trustRoots: NIOSSLTrustRoots

    public init(connectTimeout: TimeInterval = 5, idleTimeout: TimeInterval = 60, trustRoots: NIOSSLTrustRoots = .default) {
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.trustRoots = trustRoots
    }
}
