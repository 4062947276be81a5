import Foundation
import GRDB
import Logging
import SwitchboardCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded ``Store``: one SQLite file in WAL mode, through a GRDB `DatabasePool`.
///
/// Reads run concurrently on reader connections; writes are serialised on the single writer
/// connection, each in one `IMMEDIATE` transaction. Batches (a group of publishes, a claim, a
/// group of attempt records) take one transaction each, so one fsync covers the whole batch.
///
/// Storage conventions: dates are REAL unix seconds; payloads are BLOBs holding the exact
/// bytes published; lists and maps (event types, headers, source ids, request headers) are
/// JSON text. Secrets (endpoint and source signing secrets, current and previous) and endpoint
/// headers are sealed with the store's ``SecretSealer`` (AES-GCM under the master key) on write
/// and opened on read; see `SQLiteStore+Secrets.swift`.
/// Events, deliveries and attempts have an integer `seq` primary key in insertion order,
/// which breaks ties between rows created in the same instant.
public final class SQLiteStore: Store {
    /// How long SQLite waits for the disk on commit (`PRAGMA synchronous`).
    public enum SynchronousMode: String, Sendable, Hashable, CaseIterable {
        /// fsync on every commit: a committed event survives a power cut.
        case full = "FULL"
        /// fsync at WAL checkpoints only: a committed event survives a process crash, and may
        /// be lost on a power cut.
        case normal = "NORMAL"
    }

    /// WAL pages (4 KiB each) after which a commit copies the log back into the database.
    /// SQLite's default is 1,000. Every commit appends the pages it dirtied, so the tail page of
    /// each index and, for a wide fan-out, one page per endpoint are logged again and again;
    /// a checkpoint copies each distinct page once, so a longer log copies far less. At 8,000
    /// (32 MiB) the hanging-endpoints bench delivers about 10 % more, and a checkpoint stalls
    /// one commit for 2–4 ms instead of under 1 ms (steady p99 0.5 → 2.3 ms).
    static let walCheckpointPages = 8_000

    let pool: DatabasePool
    let logger: Logger
    /// Seals secrets on write and opens them on read.
    let sealer: SecretSealer

    /// Opens the database at `path`, creating the file (mode 0600) and its directory (mode 0700)
    /// when missing, migrates it to the current schema, checks that `sealer` has the key of every
    /// sealed secret, and seals any secret an older version left in plaintext.
    ///
    /// - Parameters:
    ///   - path: The database file. Its WAL (`-wal`) and shared-memory (`-shm`) files live beside it.
    ///   - synchronous: Durability of commits; ``SynchronousMode/full`` unless told otherwise.
    ///   - busyTimeout: How long a connection waits for another process's lock before failing.
    ///   - sealer: Seals and opens secrets; it must have the key of every secret already sealed.
    ///   - logger: Where opening, migrations and database failures are logged.
    /// - Throws: ``StoreError/unavailable(_:)`` when the directory cannot be created or the file
    ///   cannot be opened or migrated (not a database, read-only, corrupt…), or when a secret in
    ///   it is sealed under a key `sealer` does not have (the message names both key ids).
    public init(
        path: String, synchronous: SynchronousMode = .full, busyTimeout: TimeInterval = 10, sealer: SecretSealer, logger: Logger
    ) throws {
        self.logger = logger
        self.sealer = sealer
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.unavailable("cannot create directory \(directory) for the database")
            }
        }
        Self.createPrivately(path)
        var configuration = Configuration()
        configuration.label = "switchboard"
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.walCheckpointPages)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            Self.restrictToOwner(path)
            try checkSealedSecrets()
            try sealLegacyPlaintext()
        } catch let error as DatabaseError {
            logger.error("cannot open database", metadata: ["path": "\(path)", "error": "\(error.resultCode)"])
            throw StoreError.unavailable("cannot open database \(path): \(Self.reason(error))")
        } catch let error as SecretSealerError {
            logger.error("cannot open the database's secrets", metadata: ["path": "\(path)", "error": "\(error)"])
            throw StoreError.unavailable("cannot open database \(path): \(error)")
        }
        logger.debug("database open", metadata: ["path": "\(path)", "synchronous": "\(synchronous.rawValue)"])
    }

    /// Runs a trivial query on a reader connection; throws ``StoreError/unavailable(_:)`` when it fails.
    public func checkHealth() async throws {
        try await read { db in _ = try Int.fetchOne(db, sql: "SELECT 1") }
    }

    // MARK: Access

    /// Runs a read on a reader connection, mapping SQLite failures to ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw mapped(error)
        } catch let error as SecretSealerError {
            throw mapped(error)
        }
    }

    /// Runs `body` in one write transaction, mapping SQLite failures to ``StoreError``.
    ///
    /// - Parameter conflict: What a unique-constraint violation means to the caller, if it
    ///   can happen; otherwise it is reported as ``StoreError/unavailable(_:)``.
    func write<T: Sendable>(conflict: String? = nil, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as DatabaseError {
            throw mapped(error, conflict: conflict)
        } catch let error as SecretSealerError {
            throw mapped(error)
        }
    }

    /// The ``StoreError`` for a secret that could not be sealed or opened: the key it needs is
    /// missing or the value was altered. Never a garbage secret.
    func mapped(_ error: SecretSealerError) -> StoreError {
        logger.error("cannot open a sealed secret", metadata: ["reason": "\(error)"])
        return .unavailable(error.description)
    }

    /// The ``StoreError`` for a failed database call. Messages carry SQLite's reason, never
    /// statement arguments (GRDB keeps them out of errors unless configured otherwise), so no
    /// secret reaches a caller or a log line.
    func mapped(_ error: DatabaseError, conflict: String? = nil) -> StoreError {
        let code = error.extendedResultCode
        if let conflict, code == .SQLITE_CONSTRAINT_PRIMARYKEY || code == .SQLITE_CONSTRAINT_UNIQUE {
            return .conflict(conflict)
        }
        logger.error("database call failed", metadata: ["code": "\(code)", "reason": "\(Self.reason(error))"])
        return .unavailable(Self.reason(error))
    }

    /// Creates the database file readable by its owner only, when it does not exist yet.
    /// SQLite gives the `-wal` and `-shm` files it creates the database file's mode.
    static func createPrivately(_ path: String) {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
    }

    /// Makes the database and its `-wal` and `-shm` files mode 0600, upgrading a file an older
    /// version created 0644.
    static func restrictToOwner(_ path: String) {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            _ = chmod(file, 0o600)
        }
    }

    /// SQLite's explanation of `error`, for messages.
    static func reason(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_FULL: "the disk is full"
        case .SQLITE_NOTADB: "the file is not a database"
        case .SQLITE_CORRUPT: "the database file is corrupt"
        case .SQLITE_READONLY: "the database is read-only"
        case .SQLITE_CANTOPEN: "the database file cannot be opened"
        case .SQLITE_PERM, .SQLITE_AUTH: "permission denied"
        case .SQLITE_BUSY, .SQLITE_LOCKED: "the database is locked by another connection"
        case .SQLITE_IOERR: "disk I/O error"
        default: error.message ?? "\(error.resultCode)"
        }
    }
}
