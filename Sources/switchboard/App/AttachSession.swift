import Foundation
import Logging
import SwitchboardClient
import SwitchboardConsole
import SwitchboardCore

/// A console attached to a running server over its HTTP API (`switchboard console --url`,
/// or a console started on a data directory another process serves).
enum AttachSession {
    /// Checks the URL and key (so that a wrong one fails before the terminal is taken), then
    /// runs the console until the operator quits. The server keeps running.
    ///
    /// - Parameter readOnly: hide and refuse actions even when the key could act; a key
    ///   without the write scope always gives a read-only console.
    static func run(url: String, key: String, readOnly: Bool) async throws {
        // Nothing may write onto the console's screen; the server logs what the console does.
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        let logger = Logger(label: "switchboard.console")
        let client: SwitchboardClient
        do {
            client = try SwitchboardClient(baseURL: url, key: key)
        } catch {
            throw SettingsError(error.message)
        }
        let server: ServerInfo
        do {
            server = try await client.serverInfo()
        } catch {
            await client.shutdown()
            throw SettingsError(message(for: error, url: client.baseURL))
        }
        let options = ConsoleOptions(
            readOnly: readOnly || !server.canWrite, devMode: false, listenAddress: "", storeDescription: "",
            ingestBaseURL: client.baseURL, logger: logger, serverVersion: server.version, stopsDispatcherOnQuit: false)
        do {
            try await Console.attach(to: client, server: server, options: options)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    /// The key for `--url`: `--key`, then `SWITCHBOARD_API_KEY`, then `<data-dir>/admin.key`.
    static func key(flag: String?, dataDirectory: String?) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let value = ProcessInfo.processInfo.environment["SWITCHBOARD_API_KEY"], !value.isEmpty { return value }
        return dataDirectory.flatMap { AdminKeyFile(dataDirectory: $0).read() }
    }

    private static func message(for error: ClientError, url: String) -> String {
        switch error.kind {
        case .unreachable: "\(error.message); is `switchboard serve` running there?"
        case .unauthorized: "\(url) refused the API key (missing, unknown or revoked); pass another with --key or SWITCHBOARD_API_KEY"
        case .notFound: "\(url) does not answer /v1/server: is it a Switchboard server of this version or newer?"
        default: error.message
        }
    }
}
