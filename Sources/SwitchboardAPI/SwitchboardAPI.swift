import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import SwitchboardCore

/// Where and how the HTTP API listens, and how its live stream behaves.
public struct APIOptions: Sendable {
    /// Address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// Port to bind; `0` picks a free one.
    public var port: Int
    /// Base of public URLs the API hands out (inbound sources); `http://host:port` when `nil`.
    public var publicBaseURL: String?
    /// The Prometheus registry `/metrics` renders. Pass ``Telemetry/bootstrap()`` so the
    /// counters the core records through swift-metrics appear too; the default, a private
    /// registry, shows only the gauges the API itself refreshes.
    public var telemetry: Telemetry
    /// Most changes buffered for one `/v1/stream` client before it starts losing them.
    public var streamBufferSize: Int
    /// How often `/v1/stream` sends a `: keep-alive` comment while nothing happens.
    public var streamKeepAliveInterval: Duration
    /// Changes a `/v1/stream` client may lose (because it reads too slowly) before its
    /// stream is ended with a `stream.overflow` event so that it reconnects and resyncs.
    public var streamMaxDroppedChanges: Int
    /// `/v1/stream` responses one API key may hold open at once; one more is a 429.
    public var maxStreamsPerKey: Int
    /// How often an open `/v1/stream` checks that its key is still valid; a revoked key's
    /// stream ends at the next check.
    public var streamKeyCheckInterval: Duration
    /// Sustained writes (every method but `GET`, `HEAD`, `OPTIONS`) per API key per second;
    /// 0 turns the limit off. Past it: 429 with `Retry-After` and `RateLimit-*`.
    public var writeRateLimitPerSecond: Double
    /// Writes one API key may make at once after a quiet period.
    public var writeRateLimitBurst: Int
    /// Failed authentications per client address per second, sustained; past the burst, that
    /// address gets 429 without its key being looked up. 0 turns the limit off.
    public var authFailureRateLimitPerSecond: Double
    /// Failed authentications a client address may make at once.
    public var authFailureBurst: Int
    /// A connection with no request in progress (idle keep-alive, or a request head that has
    /// not fully arrived, however slowly its bytes trickle in) or whose body stops arriving
    /// for this long is closed.
    public var idleTimeout: Duration
    /// Most time from a request's head to the end of its body; past it the connection is closed.
    public var requestTimeout: Duration
    /// Largest request head (request line and headers); larger gets 431 `headers_too_large`.
    public var maxHeaderBytes: Int
    /// The clock the rate limiters refill by.
    public var clock: any WallClock
    /// The server's version, for `GET /v1/server`.
    public var version: String
    /// When this server started, for `GET /v1/server`.
    public var startedAt: Date
    /// Whether this process runs a dispatcher (claims and sends deliveries), for `GET /v1/server`.
    public var dispatching: Bool
    /// The cluster's node list for `GET /v1/nodes`; `nil` on a single-node store.
    public var cluster: (any ClusterDirectory)?

    /// Options with the documented defaults; sizes below 1 (buffer) or 0 (drops) are raised to them.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicBaseURL: String? = nil, telemetry: Telemetry = Telemetry(),
        streamBufferSize: Int = 1024, streamKeepAliveInterval: Duration = .seconds(15), streamMaxDroppedChanges: Int = 0,
        maxStreamsPerKey: Int = 4, streamKeyCheckInterval: Duration = .seconds(2),
        writeRateLimitPerSecond: Double = 100, writeRateLimitBurst: Int = 200,
        authFailureRateLimitPerSecond: Double = 1, authFailureBurst: Int = 20,
        idleTimeout: Duration = .seconds(30), requestTimeout: Duration = .seconds(60), maxHeaderBytes: Int = 32 * 1024,
        clock: any WallClock = SystemWallClock(), version: String = "", startedAt: Date = Date(), dispatching: Bool = true
    ) {
        self.host = host
        self.port = port
        self.publicBaseURL = publicBaseURL
        self.telemetry = telemetry
        self.streamBufferSize = max(1, streamBufferSize)
        self.streamKeepAliveInterval = streamKeepAliveInterval
        self.streamMaxDroppedChanges = max(0, streamMaxDroppedChanges)
        self.maxStreamsPerKey = max(1, maxStreamsPerKey)
        self.streamKeyCheckInterval = streamKeyCheckInterval
        self.writeRateLimitPerSecond = writeRateLimitPerSecond
        self.writeRateLimitBurst = max(1, writeRateLimitBurst)
        self.authFailureRateLimitPerSecond = authFailureRateLimitPerSecond
        self.authFailureBurst = max(1, authFailureBurst)
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxHeaderBytes = max(1024, maxHeaderBytes)
        self.clock = clock
        self.version = version
        self.startedAt = startedAt
        self.dispatching = dispatching
    }

    /// ``publicBaseURL`` without a trailing slash, or `http://host:port` (loopback when bound
    /// to every interface).
    public var resolvedPublicBaseURL: String {
        if let publicBaseURL, !publicBaseURL.isEmpty {
            return publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        }
        let reachable = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "http://\(reachable.contains(":") ? "[\(reachable)]" : reachable):\(port)"
    }
}

/// The router with every route of the API: the public ones (`/healthz`, `/metrics`,
/// `/openapi.yaml`, `/in/{slug}`) and the `/v1` and `/e` groups, which require an API key.
///
/// Tests drive it with HummingbirdTesting's `.router` mode; ``buildApplication(switchboard:options:logger:)``
/// serves it.
public func buildRouter(switchboard: Switchboard, options: APIOptions) -> Router<SwitchboardRequestContext> {
    let router = Router(context: SwitchboardRequestContext.self)
    let routeTable = RouteTable()
    let limits = APILimits(options)
    let auth = AuthMiddleware(switchboard: switchboard, limits: limits)
    router.middlewares.add(ErrorMiddleware(routes: routeTable))

    HealthRoutes(switchboard: switchboard).register(on: router)
    MetricsRoutes(switchboard: switchboard, telemetry: options.telemetry).register(on: router)
    OpenAPIRoutes().register(on: router)
    let ingest = IngestRoutes(switchboard: switchboard)
    ingest.registerPublic(on: router)
    ingest.registerDirect(on: router.group("e").add(middleware: auth))

    let v1 = router.group("v1").add(middleware: auth)
    EndpointRoutes(switchboard: switchboard).register(on: v1)
    EventRoutes(switchboard: switchboard).register(on: v1)
    DeliveryRoutes(switchboard: switchboard).register(on: v1)
    APIKeyRoutes(switchboard: switchboard).register(on: v1)
    UsageRoutes(switchboard: switchboard).register(on: v1)
    StreamRoutes(switchboard: switchboard, options: options, slots: limits.streams).register(on: v1)
    SourceRoutes(switchboard: switchboard, baseURL: options.resolvedPublicBaseURL).register(on: v1)
    TriageRoutes(switchboard: switchboard).register(on: v1)
    ServerRoutes(switchboard: switchboard, options: options).register(on: v1)
    NodeRoutes(cluster: options.cluster).register(on: v1)

    routeTable.load(router.routes.map { (method: $0.method, path: $0.path) })
    return router
}

/// The HTTP API as a `Service` for a `ServiceGroup`, listening on `options.host:options.port`.
///
/// On graceful shutdown the server stops accepting connections, lets requests in progress
/// finish and ends open `/v1/stream` responses. Connections are closed when idle or stalled
/// (``APIOptions/idleTimeout``, ``APIOptions/requestTimeout``), and refused inbound requests
/// counted in memory are written every second (``SourceRejectionFlusher``).
public func buildApplication(switchboard: Switchboard, options: APIOptions, logger: Logger) -> some ApplicationProtocol {
    let requestTimeout = TimeAmount(options.requestTimeout)
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [ConnectionGuard(requestTimeout: requestTimeout)],
        idleTimeout: TimeAmount(options.idleTimeout),
        httpDecoderConfiguration: .init(maxHeaderFieldSize: options.maxHeaderBytes, maxHeaderListSize: options.maxHeaderBytes))
    return Application(
        router: buildRouter(switchboard: switchboard, options: options),
        server: .http1(configuration: http1),
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: "Switchboard"),
        services: [SourceRejectionFlusher(switchboard: switchboard)],
        logger: logger)
}
