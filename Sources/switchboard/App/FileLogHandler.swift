import Foundation
import Logging
import Synchronization
import SwitchboardCore

/// A swift-log handler appending one line per message to a file: used while the console
/// owns the terminal, so that nothing is written onto the screen.
struct FileLogHandler: LogHandler {
    /// The shared, append-only destination.
    final class Destination: Sendable {
        private let handle: Mutex<FileHandle>

        init(path: String) throws {
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            guard let handle = FileHandle(forWritingAtPath: path) else { throw SettingsError("cannot write the log file \(path)") }
            handle.seekToEndOfFile()
            self.handle = Mutex(handle)
        }

        func write(_ line: String) {
            handle.withLock { $0.write(Data(line.utf8)) }
        }
    }

    let label: String
    let destination: Destination
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        destination.write("\(Timestamp.string(Date())) \(event.level) \(label): \(event.message)\(rendered)\n")
    }
}
