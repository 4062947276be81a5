import Foundation
import GRDB
import Logging
import SwitchboardCore

/// The embedded ``Store``: one SQLite file in WAL mode, through GRDB.
///
/// Writes are serialised by SQLite; batches (publishes, claims, attempt records) each take
/// one transaction, so one fsync covers many events. Dates are stored as REAL unix seconds.
public final class SQLiteStore: Store {
    /// How much SQLite waits for the disk on commit.
    public enum SynchronousMode: String, Sendable {
        /// fsync on every commit: a committed event survives power loss.
        case full = "FULL"
        /// fsync at checkpoints only: survives a process crash, not a power cut.
        case normal = "NORMAL"
    }

    let pool: DatabasePool
    let logger: Logger

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String, synchronous: SynchronousMode = .full, logger: Logger) throws {
        self.logger = logger
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError.unavailable("cannot open \(path): \(error.message ?? error.resultCode.description)")
        }
    }

    public func checkHealth() async throws {
        try await read { db in _ = try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Runs a read, mapping SQLite failures to ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch let error as DatabaseError { throw Self.map(error) }
    }

    /// Runs a write transaction, mapping SQLite failures to ``StoreError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch let error as DatabaseError { throw Self.map(error) }
    }

    static func map(_ error: DatabaseError) -> StoreError {
        switch error.resultCode {
        case .SQLITE_CONSTRAINT: .conflict("a row with the same key")
        default: .unavailable(error.resultCode.description)
        }
    }
}

extension Date {
    var unixSeconds: Double { timeIntervalSince1970 }
}

extension Row {
    func date(_ column: String) -> Date { Date(timeIntervalSince1970: self[column] as Double) }
    func optionalDate(_ column: String) -> Date? { (self[column] as Double?).map { Date(timeIntervalSince1970: $0) } }
}
