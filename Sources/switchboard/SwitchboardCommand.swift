import ArgumentParser
import SwitchboardCore

/// `switchboard`: the webhook dispatcher and its operator console in one binary.
@main
struct SwitchboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "A webhook dispatcher with a live terminal operator console.",
        discussion: """
            With no subcommand, runs `serve`: the dispatcher (HTTP API, store, delivery workers).
            Settings come from flags, then SWITCHBOARD_* environment variables, then \
            config/switchboard.yaml (or --config); every key is documented in that file.
            """,
        version: SwitchboardVersion.current,
        subcommands: [ServeCommand.self, KeysCommand.self, BenchCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
