import Hummingbird
import Logging
import SwitchboardCore

/// Where and how the HTTP API listens.
public struct APIOptions: Sendable {
    public var host: String
    public var port: Int
    /// Base of public URLs the API hands out (inbound sources); `http://host:port` when `nil`.
    public var publicBaseURL: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, publicBaseURL: String? = nil) {
        self.host = host
        self.port = port
        self.publicBaseURL = publicBaseURL
    }
}

/// The router with every route of the API: public ones (`/healthz`, `/metrics`) and the
/// authenticated `/v1` group.
public func buildRouter(switchboard: Switchboard, options: APIOptions) -> Router<SwitchboardRequestContext> {
    let router = Router(context: SwitchboardRequestContext.self)
    router.middlewares.add(ErrorMiddleware())
    SystemRoutes(switchboard: switchboard).registerPublic(on: router)
    let v1 = router.group("v1").add(middleware: AuthMiddleware(switchboard: switchboard))
    EndpointRoutes(switchboard: switchboard).register(on: v1)
    EventRoutes(switchboard: switchboard).register(on: v1)
    DeliveryRoutes(switchboard: switchboard).register(on: v1)
    APIKeyRoutes(switchboard: switchboard).register(on: v1)
    SystemRoutes(switchboard: switchboard).register(on: v1)
    return router
}

/// The HTTP API as a service for a `ServiceGroup`.
public func buildApplication(switchboard: Switchboard, options: APIOptions, logger: Logger) -> some ApplicationProtocol {
    Application(
        router: buildRouter(switchboard: switchboard, options: options),
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: "Switchboard"),
        logger: logger)
}
