import NIOCore

/// Turns a host name into the addresses to dial: the seam for DNS, so tests can map names themselves.
///
/// ``HTTPDeliveryTransport`` resolves once per new connection and passes every address through the
/// `AddressGuard` before dialling, so what the resolver answers at send time is what gets checked.
public protocol HostResolver: Sendable {
    /// Every address `host` resolves to, with `port` set; throws (or returns none) when it does not resolve.
    func resolve(host: String, port: Int) async throws -> [SocketAddress]
}
