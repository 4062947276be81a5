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
        /// Where each endpoint's URL goes, parsed once, so the hot path is one lookup.
        var routes: [RouteKey: Route] = [:]
        var tlsContext: Result<NIOSSLContext, TransportFailure>?
        var isShutDown = false
    }

    private struct RouteKey: Hashable {
        var endpointID: String
        var url: String
    }

    private struct Route {
        var pool: EndpointPool
        var url: EndpointURL
    }

    /// Bound on ``State/routes``; past it the cache starts over (pools stay).
    private static let routeLimit = 10_000

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
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { continuation in
                run.start(continuation, maxConnections: maxConnections)
            }
        } onCancel: {
            run.cancel()
        }
    }

    /// Closes every pooled connection and ends attempts in flight with `shutdown`; later sends fail with `shutdown`.
    public func shutdown() async {
        let pools = state.withLock { state -> [EndpointPool] in
            state.isShutDown = true
            defer {
                state.pools = [:]
                state.routes = [:]
            }
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
            let routeKey = RouteKey(endpointID: request.endpointID, url: request.url)
            if let route = state.routes[routeKey] { return .success((route.pool, route.url)) }
            let url: EndpointURL
            do throws(EndpointURL.Invalid) {
                url = try EndpointURL(parsing: request.url)
            } catch {
                return .failure(TransportFailure(TransportErrorClass.invalidURL, "the endpoint URL cannot be requested: \(error.reason)"))
            }
            if state.routes.count >= Self.routeLimit { state.routes.removeAll(keepingCapacity: true) }
            let key = PoolKey(endpointID: request.endpointID, scheme: url.scheme, host: url.host, port: url.port)
            if let pool = state.pools[key] {
                state.routes[routeKey] = Route(pool: pool, url: url)
                return .success((pool, url))
            }
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
            state.routes[routeKey] = Route(pool: pool, url: url)
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
