import Hummingbird
import Logging
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

    /// Options with the documented defaults; sizes below 1 (buffer) or 0 (drops) are raised to them.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicBaseURL: String? = nil, telemetry: Telemetry = Telemetry(),
        streamBufferSize: Int = 1024, streamKeepAliveInterval: Duration = .seconds(15), streamMaxDroppedChanges: Int = 0
    ) {
        self.host = host
        self.port = port
        self.publicBaseURL = publicBaseURL
        self.telemetry = telemetry
        self.streamBufferSize = max(1, streamBufferSize)
        self.streamKeepAliveInterval = streamKeepAliveInterval
        self.streamMaxDroppedChanges = max(0, streamMaxDroppedChanges)
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
    router.middlewares.add(ErrorMiddleware(routes: routeTable))

    HealthRoutes(switchboard: switchboard).register(on: router)
    MetricsRoutes(switchboard: switchboard, telemetry: options.telemetry).register(on: router)
    OpenAPIRoutes().register(on: router)
    let ingest = IngestRoutes(switchboard: switchboard)
    ingest.registerPublic(on: router)
    ingest.registerDirect(on: router.group("e").add(middleware: AuthMiddleware(switchboard: switchboard)))

    let v1 = router.group("v1").add(middleware: AuthMiddleware(switchboard: switchboard))
    EndpointRoutes(switchboard: switchboard).register(on: v1)
    EventRoutes(switchboard: switchboard).register(on: v1)
    DeliveryRoutes(switchboard: switchboard).register(on: v1)
    APIKeyRoutes(switchboard: switchboard).register(on: v1)
    UsageRoutes(switchboard: switchboard).register(on: v1)
    StreamRoutes(switchboard: switchboard, options: options).register(on: v1)
    SourceRoutes(switchboard: switchboard, baseURL: options.resolvedPublicBaseURL).register(on: v1)

    routeTable.load(router.routes.map { (method: $0.method, path: $0.path) })
    return router
}

/// The HTTP API as a `Service` for a `ServiceGroup`, listening on `options.host:options.port`.
///
/// On graceful shutdown the server stops accepting connections, lets requests in progress
/// finish and ends open `/v1/stream` responses.
public func buildApplication(switchboard: Switchboard, options: APIOptions, logger: Logger) -> some ApplicationProtocol {
    Application(
        router: buildRouter(switchboard: switchboard, options: options),
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: "Switchboard"),
        logger: logger)
}
