import Foundation
import Logging
import ServiceLifecycle
import SwitchboardClient
import SwitchboardCore

/// Settings of the operator console.
public struct ConsoleOptions: Sendable {
    /// Hide and refuse the actions (replay, retry, disable/enable, rotate secret).
    public var readOnly: Bool
    /// The dispatcher runs with `--dev` (loopback, private networks and plain http allowed):
    /// a `DEV` badge in the header says so.
    public var devMode: Bool
    /// Where the HTTP API listens, shown in the header (e.g. `127.0.0.1:8080`).
    public var listenAddress: String
    /// What the store is, shown in the header (e.g. `sqlite ./switchboard.db`).
    public var storeDescription: String
    /// Public base URL of the HTTP API (e.g. `http://127.0.0.1:8080`): the sources view shows
    /// a source's ingest URL as `<ingestBaseURL>/in/<slug>`, or only `/in/<slug>` when empty.
    public var ingestBaseURL: String
    /// Where the console logs the actions it performs and the loads that fail. Route it to
    /// a file: nothing may write to the terminal while the console owns it.
    public var logger: Logger
    /// The server's version, shown in the header.
    public var serverVersion: String
    /// Quitting stops the dispatcher in this process (embedded and dispatching): `q` asks
    /// first while deliveries are queued or in flight.
    public var stopsDispatcherOnQuit: Bool
    /// The admin key this start created: shown once, in a panel the operator dismisses,
    /// instead of being printed behind the screen.
    public var firstStartAdminKey: String?
    /// Where that key was also written (mode 0600), named in the panel.
    public var adminKeyFile: String?
    /// The cluster sharing the store, when one does: the header lists its nodes.
    public var cluster: (any ClusterDirectory)?

    public init(
        readOnly: Bool = false, devMode: Bool = false, listenAddress: String = "", storeDescription: String = "",
        ingestBaseURL: String = "", logger: Logger = Logger(label: "switchboard.console"), serverVersion: String = "",
        stopsDispatcherOnQuit: Bool = false, firstStartAdminKey: String? = nil, adminKeyFile: String? = nil,
        cluster: (any ClusterDirectory)? = nil
    ) {
        self.cluster = cluster
        self.serverVersion = serverVersion
        self.stopsDispatcherOnQuit = stopsDispatcherOnQuit
        self.firstStartAdminKey = firstStartAdminKey
        self.adminKeyFile = adminKeyFile
        self.readOnly = readOnly
        self.devMode = devMode
        self.listenAddress = listenAddress
        self.storeDescription = storeDescription
        self.ingestBaseURL = ingestBaseURL
        self.logger = logger
    }
}

/// The live terminal operator console.
public enum Console {
    /// Takes over the terminal and runs the console over `switchboard` until the operator
    /// quits (`q`, Ctrl-C) or the task is cancelled; the terminal is restored in every case,
    /// and on a crash signal too.
    ///
    /// Standard input and output must be a terminal (else ``ConsoleError`` is thrown before
    /// anything is drawn). While it runs, nothing else may write to standard output or
    /// standard error. Ctrl-C is read as a key; SIGTERM and SIGINT sent to the process are
    /// left to whoever traps them (a `ServiceGroup` cancels this task); when nobody does,
    /// the console restores the terminal before the process dies of them.
    public static func run(switchboard: Switchboard, options: ConsoleOptions) async throws {
        try await ConsoleRuntime(
            operations: SwitchboardOperations(switchboard: switchboard, cluster: options.cluster), feed: switchboard.feed,
            terminal: CursesTerminal(), options: options
        ).run()
    }

    /// Takes over the terminal and runs the console against the server `client` talks to, as
    /// ``run(switchboard:options:)`` does for an embedded dispatcher: the same panes and
    /// actions, read through the HTTP API and kept live by its `/v1/stream`, which reconnects
    /// on its own. The header shows the server, its version and the connection's state.
    /// Quitting leaves the server running.
    ///
    /// - Parameter server: what the server said about itself and the key (read it first with
    ///   ``SwitchboardClient/serverInfo()``, so that a wrong URL or key fails before the
    ///   terminal is taken).
    public static func attach(to client: SwitchboardClient, server: ServerInfo, options: ConsoleOptions) async throws {
        let tenant = server.tenant ?? "default"
        let feed = ChangeFeed()
        let (states, continuation) = AsyncStream.makeStream(of: ConsoleRuntime.ConnectionUpdate.self, bufferingPolicy: .bufferingNewest(16))
        var runtime = ConsoleRuntime(
            operations: RemoteConsoleOperations(client: client, tenant: tenant), feed: feed, terminal: CursesTerminal(), options: options)
        runtime.session = SessionStatus(target: client.baseURL, attached: true, serverVersion: server.version, connection: .connecting(attempt: 1))
        runtime.connectionStates = states
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await ChangeStream(client: client).run(publishingInto: feed, tenant: tenant) { state in
                    continuation.yield(ConsoleRuntime.ConnectionUpdate(state))
                }
                continuation.finish()
            }
            try await runtime.run()
            group.cancelAll()
        }
    }
}

extension ConsoleRuntime.ConnectionUpdate {
    init(_ state: ChangeStream.State) {
        switch state {
        case .connecting(let attempt): self.init(connection: .connecting(attempt: attempt), resumed: false)
        case .live(let resumed): self.init(connection: .live, resumed: resumed)
        case .lost(let reason): self.init(connection: .lost(reason: reason, since: Date()), resumed: false)
        case .refused(let reason): self.init(connection: .lost(reason: reason, since: Date()), resumed: false)
        }
    }
}

/// The console as a `Service` for a `ServiceGroup`: it ends on graceful shutdown, and
/// returns when the operator quits. Add it with `successTerminationBehavior:
/// .gracefullyShutdownGroup` so that quitting the console stops the dispatcher too.
public struct ConsoleService: Service {
    let switchboard: Switchboard
    let options: ConsoleOptions

    public init(switchboard: Switchboard, options: ConsoleOptions) {
        self.switchboard = switchboard
        self.options = options
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await Console.run(switchboard: switchboard, options: options)
        }
    }
}
