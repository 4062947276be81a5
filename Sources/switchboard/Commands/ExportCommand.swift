import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `switchboard export`: the store's endpoints, sources and API keys as one JSON document.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the store's endpoints, inbound sources and API keys as JSON, for `switchboard import` into another store.",
        discussion: """
            The event history stays behind. Endpoint and source signing secrets are written in clear text (the \
            target seals them under its own master key); API keys only as their hashes, so they keep working. \
            Treat the output as a secret: --output writes it readable by you only (mode 0600).
            Example, SQLite to PostgreSQL: switchboard export --data-dir ./old | switchboard import --store-url postgres://…
            """)

    @OptionGroup var options: GlobalOptions

    @Option(name: .shortAndLong, help: "Write to this file (mode 0600; refused if it exists) instead of standard output.")
    var output: String?

    func run() async throws {
        let settings = try await AppSettings.load(options)
        var logger = Logger(label: "switchboard.export")
        logger.logLevel = .warning
        let store = try await OfflineStore.open(settings, logger: logger)
        let document = ExportDocument(
            format: ExportDocument.formatName, version: ExportDocument.currentVersion, exportedAt: Date(),
            endpoints: try await store.endpoints(tenant: nil).map(ExportedEndpoint.init),
            sources: try await store.sources(tenant: nil).map(ExportedSource.init),
            apiKeys: try await store.apiKeys(tenant: nil).map(ExportedAPIKey.init))
        let data = try ExportDocument.coder().0.encode(document) + Data("\n".utf8)
        let summary = "Exported \(document.endpoints.count) endpoints, \(document.sources.count) sources and \(document.apiKeys.count) API keys from \(OfflineStore.describe(settings))"
        if let output {
            try Self.writePrivately(data, to: output)
            print("\(summary) to \(output) (mode 0600).")
        } else {
            FileHandle.standardOutput.write(data)
            FileHandle.standardError.write(Data("\(summary). The output holds signing secrets: keep it private.\n".utf8))
        }
    }

    /// Creates `path` with mode 0600 and writes `data`; refuses an existing file.
    static func writePrivately(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists; choose another name or remove it" : String(cString: strerror(errno))
            throw SettingsError("cannot create \(path): \(reason)")
        }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(descriptor) == 0 else { throw SettingsError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
