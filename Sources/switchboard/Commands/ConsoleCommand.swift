import ArgumentParser
import Logging

/// `switchboard` (no subcommand): the dispatcher with the live operator console.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Run the dispatcher and API with the live operator console (the default).",
        discussion: "Logs go to <data-dir>/switchboard.log while the console owns the terminal. Press ? in the console for its keys.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Show everything but hide and refuse the actions (replay, disable, rotate).")
    var readonly = false

    func run() async throws {
        let settings = try await AppSettings.load(options)
        _ = try ConsoleSession.bootstrapFileLogging(settings: settings)
        let logger = Logger(label: "switchboard")
        let app = try SwitchboardApp.build(settings: settings, logger: logger)
        try await ConsoleSession.run(app: app, extraServices: [], readOnly: readonly, logger: logger)
    }
}
