import ArgumentParser
import Foundation
import Logging
import SwitchboardSQLite

/// `switchboard` (no subcommand): the dispatcher with the live operator console, or a console
/// attached to a server running elsewhere.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Run the dispatcher and API with the live operator console (the default), or attach the console to a running server.",
        discussion: """
            Without --url, the dispatcher runs in this process; logs go to <data-dir>/switchboard.log while the console \
            owns the terminal. When another process already serves the data directory, the console attaches to that \
            server's API instead (with the key from --key, SWITCHBOARD_API_KEY or <data-dir>/admin.key).
            With --url, the console attaches to the server there: same panes and actions, and quitting leaves the \
            server running. A key with only the read scope gives a read-only console. Press ? in the console for its keys.
            """)

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Watch without acting: actions hidden and refused. On a data directory: no deliveries, no API, no lock.")
    var readonly = false

    @Option(help: "Attach to the Switchboard server at this URL, e.g. http://127.0.0.1:8080, instead of running a dispatcher.")
    var url: String?

    @Option(help: "API key for the attached server (default: SWITCHBOARD_API_KEY, then <data-dir>/admin.key).")
    var key: String?

    @Flag(help: "With a PostgreSQL store: also dispatch and serve the API (by default the console joins the cluster without dispatching).")
    var dispatch = false

    func run() async throws {
        let settings = try await AppSettings.load(options)
        if let url {
            guard let key = AttachSession.key(flag: key, dataDirectory: settings.dataDirectory) else {
                throw SettingsError("--url needs an API key: pass --key KEY or set SWITCHBOARD_API_KEY")
            }
            try await AttachSession.run(url: url, key: key, readOnly: readonly)
            return
        }
        if !readonly, let holder = DispatchLock.currentHolder(forDatabaseAt: settings.databasePath) {
            let served = "the data directory \(settings.dataDirectory) is served by switchboard pid \(holder.pid)"
            guard let api = holder.apiURL else {
                throw SettingsError("\(served), which does not say where its API listens; stop it, or watch with --readonly")
            }
            guard let key = AttachSession.key(flag: key, dataDirectory: settings.dataDirectory) else {
                throw SettingsError("\(served) at \(api); attach with: switchboard console --url \(api) --key KEY (or watch with --readonly)")
            }
            try await AttachSession.run(url: api, key: key, readOnly: false)
            return
        }
        _ = try ConsoleSession.bootstrapFileLogging(settings: settings)
        let logger = Logger(label: "switchboard")
        let role: SwitchboardApp.Role =
            if readonly { .observer } else if settings.postgres != nil && !dispatch { .clusterConsole } else { .dispatcher }
        let app = try await SwitchboardApp.build(settings: settings, role: role, logger: logger)
        try await ConsoleSession.run(app: app, extraServices: [], readOnly: readonly, announceKey: !readonly, logger: logger)
    }
}
