import ArgumentParser
import Logging

/// `switchboard` (no subcommand): the dispatcher with the live operator console.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Run the dispatcher and API with the live operator console (the default).",
        discussion: "Logs go to <data-dir>/switchboard.log while the console owns the terminal. Press ? in the console for its keys.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Watch without dispatching: no deliveries, no API, no lock on the data directory; actions hidden and refused.")
    var readonly = false

    func run() async throws {
        let settings = try await AppSettings.load(options)
        _ = try ConsoleSession.bootstrapFileLogging(settings: settings)
        let logger = Logger(label: "switchboard")
        let app = try await SwitchboardApp.build(settings: settings, role: readonly ? .observer : .dispatcher, logger: logger)
        try await ConsoleSession.run(app: app, extraServices: [], readOnly: readonly, announceKey: !readonly, logger: logger)
    }
}
