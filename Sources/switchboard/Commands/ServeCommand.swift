import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SwitchboardCore

/// `switchboard serve`: the dispatcher core and HTTP API, headless.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the dispatcher and HTTP API without the console.",
        discussion: "SIGINT or SIGTERM stops accepting requests, drains in-flight deliveries for delivery.drain_timeout_seconds, then exits.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let settings = try await AppSettings.load(options)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return RingLogHandler(label: label, ring: AppLogging.ring, forwardingTo: handler)
        }
        let logger = Logger(label: "switchboard")
        let app = try await SwitchboardApp.build(settings: settings, logger: logger)
        if let key = try await app.bootstrapKey(logger: logger) {
            FileHandle.standardOutput.write(Data((app.bootstrapMessage(key) + "\n").utf8))
        }
        logger.notice("switchboard listening", metadata: ["address": "\(settings.listenAddress)", "store": "\(settings.storeDescription)"])
        let group = ServiceGroup(
            configuration: .init(services: app.services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await app.shutdown()
            throw error
        }
        try await app.shutdown()
        logger.notice("switchboard stopped")
    }
}
