import Foundation
import Logging
import ServiceLifecycle
import SwitchboardConsole
import SwitchboardCore

/// Runs the dispatcher core, the API and any extra services with the console in front.
///
/// The console is the last service of the group: when the operator quits, it returns and
/// the group shuts down gracefully (the API stops, deliveries drain); SIGTERM shuts the
/// group down, which cancels the console, which restores the terminal first.
enum ConsoleSession {
    /// Sends logs to `<data-dir>/switchboard.log`: nothing may write onto the console's screen.
    static func bootstrapFileLogging(settings: AppSettings) throws -> String {
        let path = (settings.dataDirectory as NSString).appendingPathComponent("switchboard.log")
        let destination = try FileLogHandler.Destination(path: path)
        LoggingSystem.bootstrap { label in
            RingLogHandler(
                label: label, ring: AppLogging.ring,
                forwardingTo: FileLogHandler(label: label, destination: destination, logLevel: settings.logLevel))
        }
        return path
    }

    /// - Parameter announceKey: create the first admin key when there is none, show it in the
    ///   console (once, in a panel the operator dismisses) and keep it in `<data-dir>/admin.key`
    ///   (not for a throwaway demo directory, whose key dies with it).
    static func run(app: SwitchboardApp, extraServices: [any Service], readOnly: Bool, announceKey: Bool = true, logger: Logger) async throws {
        let bootstrapKey = announceKey ? try await app.bootstrapKey(logger: logger) : nil
        let dispatching = app.services.contains { $0 is DeliveryDispatcher }
        let console = ConsoleService(
            switchboard: app.switchboard,
            options: ConsoleOptions(
                readOnly: readOnly, devMode: app.settings.dev, listenAddress: dispatching ? app.settings.listenAddress : "not dispatching",
                storeDescription: app.settings.storeDescription, ingestBaseURL: app.publicBaseURL,
                logger: Logger(label: "switchboard.console"), serverVersion: SwitchboardVersion.current,
                stopsDispatcherOnQuit: dispatching, firstStartAdminKey: bootstrapKey?.secret.reveal(), adminKeyFile: bootstrapKey?.file,
                cluster: app.postgres))
        var services = app.services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        services += extraServices.map { .init(service: $0) }
        services.append(.init(service: console, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint, .sighup], logger: logger))
        let outcome: Result<Void, any Error>
        do { try await group.run(); outcome = .success(()) } catch { outcome = .failure(error) }
        try? await app.shutdown()
        if let file = bootstrapKey?.file { print("The first admin API key is kept in \(file) (mode 0600).") }
        try outcome.get()
    }
}
