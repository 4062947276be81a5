import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves with the system's `getaddrinfo`, run on a thread pool so it never blocks an event loop.
public struct SystemHostResolver: HostResolver {
    /// Why a host did not resolve: `getaddrinfo`'s own words.
    public struct ResolutionError: Error, CustomStringConvertible {
        public var host: String
        public var reason: String
        public var description: String { "\(host) did not resolve: \(reason)" }
    }

    private let threadPool: NIOThreadPool

    /// - Parameter threadPool: where the blocking `getaddrinfo` calls run.
    public init(threadPool: NIOThreadPool = .singleton) {
        self.threadPool = threadPool
    }

    public func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        try await threadPool.runIfActive { try Self.addresses(host: host, port: port) }
    }

    /// The TCP addresses `getaddrinfo` gives for `host`, in its order, without duplicates.
    static func addresses(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw ResolutionError(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let info = entry?.pointee {
            defer { entry = info.ai_next }
            guard let raw = info.ai_addr else { continue }
            let address: SocketAddress
            switch info.ai_family {
            case AF_INET:
                address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
            case AF_INET6:
                address = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
            default:
                continue
            }
            if !addresses.contains(address) { addresses.append(address) }
        }
        if addresses.isEmpty { throw ResolutionError(host: host, reason: "no IPv4 or IPv6 address") }
        return addresses
    }
}
