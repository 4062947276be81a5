import Foundation
import Logging

/// The data directory (database, WAL, lock, master key, log): private to its owner.
enum DataDirectory {
    /// Creates `path` with mode 0700 when missing; makes it 0700 when it exists with group or
    /// other permissions, saying so.
    static func prepare(_ path: String, logger: Logger) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SettingsError("cannot create the data directory \(path): \(error.localizedDescription)")
            }
            return
        }
        let mode = (try? manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        guard mode & 0o077 != 0 else { return }
        do {
            try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
            logger.notice("made the data directory private (mode 0700)", metadata: ["path": "\(path)", "was": "\(String(mode, radix: 8))"])
        } catch {
            logger.warning("the data directory is readable by other users; make it mode 0700", metadata: ["path": "\(path)"])
        }
    }
}
