import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension SocketAddress {
    /// The IP address as the `AddressGuard` takes it: 4 or 16 bytes in network order; `nil` for a Unix socket.
    var rawIPBytes: [UInt8]? {
        switch self {
        case .v4(let address):
            var bytes = address.address.sin_addr
            return withUnsafeBytes(of: &bytes) { Array($0) }
        case .v6(let address):
            var bytes = address.address.sin6_addr
            return withUnsafeBytes(of: &bytes) { Array($0) }
        case .unixDomainSocket:
            return nil
        }
    }

    /// The address as text for messages, without the port (`127.0.0.1`, `::1`).
    var ipText: String { ipAddress ?? description }
}
