import ArgumentParser
import SwitchboardCore

/// `switchboard`: the webhook dispatcher and its operator console in one binary.
@main
struct SwitchboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "A webhook dispatcher with a live terminal operator console.",
        discussion: """
            With no subcommand, starts the dispatcher (HTTP API, store, delivery workers) and takes \
            over the terminal with the operator console. `serve` runs the same core headless; \
            `demo` adds sample endpoints, a misbehaving sample receiver and live traffic.
            Settings come from flags, then SWITCHBOARD_* environment variables, then \
            config/switchboard.yaml (or --config); every key is documented in that file.
            """,
        version: SwitchboardVersion.current,
        subcommands: [ConsoleCommand.self, ServeCommand.self, DemoCommand.self, ReceiveCommand.self, KeysCommand.self, SecretsCommand.self, ExportCommand.self, ImportCommand.self, BenchCommand.self, MigrateCommand.self],
        defaultSubcommand: ConsoleCommand.self
    )
}
