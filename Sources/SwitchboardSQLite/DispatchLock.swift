import Foundation
import SwitchboardCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The OS lock that makes one process at a time dispatch from a SQLite store.
///
/// An advisory `flock` on `<database>.lock`, held for the life of the process that
/// dispatches and released by the kernel on any exit, `kill -9` included, so a crashed
/// dispatcher never leaves a stale lock behind. The file names the holder (pid, API
/// address, start time) so that a second process can say who has it.
public final class DispatchLock: Sendable {
    /// Who holds the lock, as written in the lock file.
    public struct Holder: Sendable, Hashable, Codable {
        public var pid: Int32
        /// Where the holder's HTTP API listens, e.g. `http://127.0.0.1:8080`.
        public var apiURL: String?
        public var startedAt: Date

        public init(pid: Int32 = getpid(), apiURL: String?, startedAt: Date = Date()) {
            self.pid = pid
            self.apiURL = apiURL
            self.startedAt = startedAt
        }
    }

    /// Why the lock could not be taken, worded for the operator.
    public struct Refusal: Error, CustomStringConvertible {
        /// The current holder, when its lock file could be read.
        public let holder: Holder?
        public let description: String
    }

    private let descriptor: Int32
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Takes the lock of the database at `databasePath` for `holder`, or says who has it.
    public static func acquire(forDatabaseAt databasePath: String, holder: Holder) throws(Refusal) -> DispatchLock {
        let path = databasePath + ".lock"
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Refusal(holder: nil, description: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let current = readHolder(descriptor)
            close(descriptor)
            guard reason == EWOULDBLOCK else {
                throw Refusal(holder: nil, description: "cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            throw Refusal(holder: current, description: refusalMessage(directory: directory, holder: current))
        }
        let lock = DispatchLock(descriptor: descriptor, path: path)
        lock.write(holder)
        return lock
    }

    /// The holder named in the lock file of the database at `databasePath`, when a process
    /// holds it now; `nil` when nobody does.
    public static func currentHolder(forDatabaseAt databasePath: String) -> Holder? {
        let descriptor = open(databasePath + ".lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return readHolder(descriptor)
    }

    private func write(_ holder: Holder) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(holder) else { return }
        _ = ftruncate(descriptor, 0)
        _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func readHolder(_ descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Holder.self, from: Data(buffer[0..<count]))
    }

    private static func refusalMessage(directory: String, holder: Holder?) -> String {
        guard let holder else {
            return "the data directory \(directory) is already in use by another switchboard process; stop it first, or start this one with --readonly"
        }
        let api = holder.apiURL.map { ", API at \($0)" } ?? ""
        return "the data directory \(directory) is already in use by switchboard pid \(holder.pid)\(api), since \(Timestamp.string(holder.startedAt)); "
            + "stop it first, or start this one with --readonly to watch without dispatching"
    }
}
