import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAPI
import SwitchboardCore
import SwitchboardSQLite

/// The dispatcher core wired together: store, operations, delivery engine, retention and HTTP API.
///
/// `build` opens everything; `services` are what a `ServiceGroup` runs, in start order
/// (the dispatcher first, so on shutdown the API stops accepting before deliveries drain);
/// `shutdown` releases what outlives the services.
struct SwitchboardApp: Sendable {
    let settings: AppSettings
    let switchboard: Switchboard
    let dispatcher: DeliveryDispatcher
    let transport: any DeliveryTransport
    let api: any Service
    let retention: RetentionService
    /// Where the public ingest URLs of sources point.
    let publicBaseURL: String

    static func build(settings: AppSettings, logger: Logger) throws -> SwitchboardApp {
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: settings.databasePath, synchronous: settings.synchronousFull ? .full : .normal, logger: logger)
        } catch {
            throw SettingsError("cannot open the store at \(settings.databasePath): \(error)")
        }
        let switchboard = Switchboard(store: store, configuration: settings.dispatcher, logger: logger)
        let transport = WebhookSender(
            client: WebhookSender.makeClient(
                connectTimeout: settings.dispatcher.connectTimeout, requestTimeout: settings.dispatcher.requestTimeout),
            requestTimeout: settings.dispatcher.requestTimeout)
        let dispatcher = DeliveryDispatcher(switchboard: switchboard, transport: transport, logger: logger)
        let options = APIOptions(
            host: settings.host, port: settings.port, publicBaseURL: settings.publicBaseURL, telemetry: Telemetry.bootstrap())
        let api = buildApplication(switchboard: switchboard, options: options, logger: logger)
        let retention = RetentionService(store: store, clock: switchboard.clock, configuration: settings.retention, logger: logger)
        return SwitchboardApp(
            settings: settings, switchboard: switchboard, dispatcher: dispatcher, transport: transport, api: api,
            retention: retention, publicBaseURL: options.resolvedPublicBaseURL)
    }

    var services: [any Service] { [dispatcher, retention, api] }

    /// Creates the first admin key when the store has none and says how to use it.
    func announceBootstrapKey(to output: (String) -> Void) async throws {
        guard let secret = try await switchboard.bootstrapAdminKeyIfNeeded() else { return }
        output("""
            Created the first admin API key. It is shown only this once; store it now:

                \(secret.reveal())

            Use it as a bearer token, for example:
                curl -H "Authorization: Bearer \(secret.reveal())" http://\(settings.listenAddress)/v1/endpoints
            More keys: switchboard keys create --name NAME --scopes read,write

            """)
    }

    func shutdown() async throws {
        await transport.shutdown()
    }
}
