import ArgumentParser
import Foundation
import Logging
import SwitchboardCore

/// `switchboard import`: loads what `switchboard export` wrote into this store.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load the endpoints, inbound sources and API keys of a `switchboard export` document into this store.",
        discussion: """
            Sources go in first, then endpoints, then API keys. An item whose id is already in the store is left as \
            it is and counted as skipped, so running an import twice is safe. Secrets are sealed under this store's \
            master key. Stop the servers of the target store first, or import before they start.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The export file, or - for standard input.")
    var file: String = "-"

    @Flag(help: "Read and check the document, and say what would be imported, without writing anything.")
    var dryRun = false

    func run() async throws {
        let document = try readDocument()
        let settings = try await AppSettings.load(options)
        var logger = Logger(label: "switchboard.import")
        logger.logLevel = .warning
        let store = try await OfflineStore.open(settings, logger: logger)
        var tally = ImportTally()
        let existingSources = Set(try await store.sources(tenant: nil).map(\.id))
        let existingEndpoints = Set(try await store.endpoints(tenant: nil).map(\.id))
        let existingKeys = Set(try await store.apiKeys(tenant: nil).map(\.id))
        for source in document.sources {
            if existingSources.contains(source.id) { tally.skipped += 1; continue }
            if !dryRun { try await insert { try await store.insertSource(source.source) } onConflict: { tally.skipped += 1 } onInsert: { tally.sources += 1 } } else { tally.sources += 1 }
        }
        for endpoint in document.endpoints {
            if existingEndpoints.contains(endpoint.id) { tally.skipped += 1; continue }
            if !dryRun { try await insert { try await store.insertEndpoint(endpoint.endpoint) } onConflict: { tally.skipped += 1 } onInsert: { tally.endpoints += 1 } } else { tally.endpoints += 1 }
        }
        for key in document.apiKeys {
            if existingKeys.contains(key.id) { tally.skipped += 1; continue }
            if !dryRun { try await insert { try await store.insertAPIKey(key.apiKey) } onConflict: { tally.skipped += 1 } onInsert: { tally.apiKeys += 1 } } else { tally.apiKeys += 1 }
        }
        let verb = dryRun ? "Would import" : "Imported"
        print("\(verb) \(tally.sources) sources, \(tally.endpoints) endpoints and \(tally.apiKeys) API keys into \(OfflineStore.describe(settings)); \(tally.skipped) already there, left as they were.")
    }

    private struct ImportTally {
        var sources = 0
        var endpoints = 0
        var apiKeys = 0
        var skipped = 0
    }

    private func insert(_ body: () async throws -> Void, onConflict: () -> Void, onInsert: () -> Void) async throws {
        do {
            try await body()
            onInsert()
        } catch let error as StoreError where error.isConflict {
            onConflict()
        }
    }

    private func readDocument() throws -> ExportDocument {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else { throw SettingsError("cannot read \(file)") }
            data = contents
        }
        guard !data.isEmpty else { throw SettingsError("the export document is empty; pipe in the output of `switchboard export`") }
        let document: ExportDocument
        do {
            document = try ExportDocument.coder().1.decode(ExportDocument.self, from: data)
        } catch let error as DecodingError {
            throw SettingsError("not a switchboard export document: \(Self.describe(error))")
        }
        guard document.format == ExportDocument.formatName else { throw SettingsError("not a switchboard export document (format \(document.format))") }
        guard document.version <= ExportDocument.currentVersion else {
            throw SettingsError("the document is version \(document.version); this switchboard reads up to \(ExportDocument.currentVersion): upgrade it first")
        }
        return document
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".") + " is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            (context.codingPath.map(\.stringValue).joined(separator: ".")) + ": " + context.debugDescription
        @unknown default: String(describing: error)
        }
    }
}
