import ArgumentParser
import Configuration
import Foundation
import Logging
import SwitchboardCore

/// `switchboard demo`: the console with sample endpoints, a misbehaving sample receiver and
/// live traffic, in a throwaway data directory.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try Switchboard: the console with sample endpoints, a sample receiver and live traffic.",
        discussion: """
            Runs in dev mode (--dev: its receiver is on loopback). Starts everything with a throwaway data directory (unless --data-dir is given), a \
            sample receiver on 127.0.0.1 whose endpoints misbehave realistically (500s, slow \
            answers, 410 Gone, a 60-second outage that recovers, 429s), five endpoints, a Stripe \
            source (press s in the console) and a generator publishing a few events per second, \
            some of them as Stripe-signed requests and now and then a forged one. Retries are quicker than in \
            production so that you can watch them: 0, 2, 5, 10, 30 seconds.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Events published per second.") var rate: Double = 3

    @Flag(help: "Hide and refuse the console's actions.") var readonly = false

    func run() async throws {
        guard rate > 0, rate <= 200 else { throw ValidationError("--rate must be between 0 and 200 events per second") }
        var options = self.options
        let throwaway = options.dataDirectory == nil
        if throwaway {
            options.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-demo-\(UUID().uuidString.prefix(8))").path
        }
        defer { if throwaway, let directory = options.dataDirectory { try? FileManager.default.removeItem(atPath: directory) } }
        let settings = try await AppSettings.load(options, overrides: [
            "delivery.retry_schedule_seconds": .init(.doubleArray([0, 2, 5, 10, 30]), isSecret: false),
            "delivery.request_timeout_seconds": .init(.double(5), isSecret: false),
            "delivery.auto_disable_after_hours": .init(.double(1), isSecret: false),
            "dev": .init(.string("true"), isSecret: false),
        ])
        _ = try ConsoleSession.bootstrapFileLogging(settings: settings)
        let logger = Logger(label: "switchboard")
        let app = try await SwitchboardApp.build(settings: settings, logger: logger)
        let receiverPort = try FreePort.find()
        var stripeSource = try await app.switchboard.sources(tenant: .defaultTenant).first { $0.name == "stripe-demo" }
        if try await app.switchboard.endpoints(tenant: nil).isEmpty {
            try await DemoSetup.createEndpoints(on: app.switchboard, receiverPort: receiverPort)
            stripeSource = try await DemoSetup.createStripeSource(on: app.switchboard, receiverPort: receiverPort)
        } else {
            try await DemoSetup.repointEndpoints(on: app.switchboard, receiverPort: receiverPort)
        }
        try await ConsoleSession.run(
            app: app,
            extraServices: [
                DemoReceiver(port: receiverPort, recoverAfter: 60, logger: logger),
                DemoTraffic(switchboard: app.switchboard, eventsPerSecond: rate, stripeSource: stripeSource, logger: logger),
            ],
            readOnly: readonly, announceKey: !throwaway, logger: logger)
    }
}
