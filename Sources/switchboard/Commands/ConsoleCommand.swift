import ArgumentParser

/// `switchboard` (no subcommand): the dispatcher with the live operator console.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Run the dispatcher and API with the live operator console (the default).")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Show everything but refuse actions (replay, disable, rotate).")
    var readonly = false

    func run() async throws {
        // Wired to SwitchboardConsole once the console module lands.
        throw CleanExit.message("The console is not available in this build yet; run `switchboard serve`.")
    }
}
