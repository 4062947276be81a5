import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import SwitchboardCore

/// Delivers attempts over HTTP/1.1 with SwiftNIO: keep-alive pools per endpoint, one deadline per
/// attempt, and an address guard checked on every address actually dialled.
///
/// - Every attempt has one timer covering the wait for a connection, DNS, connect, TLS, the request and
///   the whole response body; what arrived before it fired is returned with `timeout`.
/// - Connections are pooled per endpoint, scheme, host and port, at most `maxConnections` each; waiting
///   is FIFO and bounded only by the attempt's own deadline, so one endpoint never holds another's.
/// - Host names go through the ``HostResolver``; every address is offered to the `AddressGuard` and only
///   allowed ones are dialled (IP literals too), and the connected peer is checked again before writing.
/// - Redirects are not followed, bodies are cut at ``Attempt/maxResponseBodyBytes``, `send` never throws.
public final class HTTPDeliveryTransport: DeliveryTransport {
    private struct State {
        var pools: [PoolKey: EndpointPool] = [:]
        /// URLs already taken apart, so the hot path does not parse.
        var parsedURLs: [String: EndpointURL] = [:]
        var tlsContext: Result<NIOSSLContext, TransportFailure>?
        var isShutDown = false
    }

    /// Bound on ``State/parsedURLs``; past it the cache starts over.
    private static let parsedURLLimit = 10_000

    private let configuration: TransportConfiguration
    private let addressGuard: any AddressGuard
    private let resolver: any HostResolver
    private let group: any EventLoopGroup
    private let state = Mutex(State())

    /// - Parameters:
    ///   - configuration: connect and idle timeouts, TLS trust roots.
    ///   - addressGuard: decides which resolved addresses may be dialled.
    ///   - resolver: turns host names into addresses (the system's `getaddrinfo` by default).
    ///   - group: where connections run; each endpoint's pool stays on one of its loops.
    public init(
        configuration: TransportConfiguration = .init(), addressGuard: any AddressGuard,
        resolver: any HostResolver = SystemHostResolver(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.addressGuard = addressGuard
        self.resolver = resolver
        self.group = group
    }

    /// Sends `request` and returns within its timeout; every failure is a response with an error class.
    ///
    /// Cancelling the calling task ends the attempt at once and frees its connection slot.
    public func send(_ request: TransportRequest) async -> TransportResponse {
        let started = NIODeadline.now()
        let pool: EndpointPool
        let url: EndpointURL
        switch placement(for: request) {
        case .success(let placed):
            (pool, url) = placed
        case .failure(let failure):
            return .failure(failure.errorClass, failure.message, duration: Self.seconds(since: started))
        }
        if Task.isCancelled {
            return .failure(TransportErrorClass.network, "the attempt was cancelled", duration: Self.seconds(since: started))
        }
        let run = AttemptRun(
            pool: pool, url: url, message: request.message, started: started,
            timeout: TimeAmount.clampedSeconds(request.timeout))
        let maxConnections = request.maxConnections
        pool.eventLoop.execute { pool.enqueue(run, maxConnections: maxConnections) }
        return await withTaskCancellationHandler {
            do {
                return try await run.promise.futureResult.get()
            } catch {
                return .failure(TransportErrorClass.network, "the attempt ended without a response", duration: Self.seconds(since: started))
            }
        } onCancel: {
            run.cancel()
        }
    }

    /// Closes every pooled connection and ends attempts in flight with `shutdown`; later sends fail with `shutdown`.
    public func shutdown() async {
        let pools = state.withLock { state -> [EndpointPool] in
            state.isShutDown = true
            defer { state.pools = [:] }
            return Array(state.pools.values)
        }
        for pool in pools {
            let closed = pool.eventLoop.flatSubmit { pool.shutdown() }
            try? await closed.get()
        }
    }

    /// The pool and parsed URL for `request`, creating the pool on first use.
    private func placement(for request: TransportRequest) -> Result<(EndpointPool, EndpointURL), TransportFailure> {
        state.withLock { state in
            if state.isShutDown {
                return .failure(TransportFailure(TransportErrorClass.shutdown, "the transport is shut down"))
            }
            let url: EndpointURL
            if let parsed = state.parsedURLs[request.url] {
                url = parsed
            } else {
                do throws(EndpointURL.Invalid) {
                    url = try EndpointURL(parsing: request.url)
                } catch {
                    return .failure(TransportFailure(TransportErrorClass.invalidURL, "the endpoint URL cannot be requested: \(error.reason)"))
                }
                if state.parsedURLs.count >= Self.parsedURLLimit { state.parsedURLs.removeAll(keepingCapacity: true) }
                state.parsedURLs[request.url] = url
            }
            let key = PoolKey(endpointID: request.endpointID, scheme: url.scheme, host: url.host, port: url.port)
            if let pool = state.pools[key] { return .success((pool, url)) }
            var tlsContext: NIOSSLContext?
            if url.scheme == .https {
                switch Self.tlsContext(&state, configuration: configuration) {
                case .success(let context): tlsContext = context
                case .failure(let failure): return .failure(failure)
                }
            }
            let pool = EndpointPool(
                key: key, url: url, eventLoop: group.next(), configuration: configuration,
                addressGuard: addressGuard, resolver: resolver, tlsContext: tlsContext)
            state.pools[key] = pool
            return .success((pool, url))
        }
    }

    /// One TLS client context for all https pools, made on first use (loading trust roots is slow).
    private static func tlsContext(_ state: inout State, configuration: TransportConfiguration) -> Result<NIOSSLContext, TransportFailure> {
        if let made = state.tlsContext { return made }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = configuration.trustRoots
        tls.applicationProtocols = ["http/1.1"]
        let made: Result<NIOSSLContext, TransportFailure>
        do {
            made = .success(try NIOSSLContext(configuration: tls))
        } catch {
            made = .failure(TransportFailure(TransportErrorClass.tls, "the TLS client could not be set up: \(String(describing: error).prefix(200))"))
        }
        state.tlsContext = made
        return made
    }

    private static func seconds(since start: NIODeadline) -> TimeInterval {
        Double((NIODeadline.now() - start).nanoseconds) / 1e9
    }
}
