import Foundation
import SwitchboardCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `<data-dir>/admin.key`: the admin API key created on first start, mode 0600.
///
/// It lets the operator read the key after the console has taken the terminal, and lets a
/// console started on a data directory that a running server holds attach to that server
/// without asking for a key. Revoking the key makes the file useless; deleting it is safe.
struct AdminKeyFile: Sendable {
    let path: String

    init(dataDirectory: String) {
        path = (dataDirectory as NSString).appendingPathComponent("admin.key")
    }

    /// Writes `secret` (replacing an older file), readable by this user only.
    func store(_ secret: Secret) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SettingsError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array((secret.reveal() + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw SettingsError("cannot write \(path)")
        }
    }

    /// The key in the file, when there is one this user can read.
    func read() -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return key.isEmpty ? nil : key
    }
}
