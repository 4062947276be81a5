import Foundation
import GRDB
import SwitchboardCore

/// Secrets at rest: every column below holds `sb1:<key id>:<base64>` (see ``SecretSealer``).
/// `endpoints.headers` is sealed as a whole JSON object rather than value by value: the column
/// is then either sealed or a legacy JSON object, never ambiguous (a header value could itself
/// start with `sb1:`), header names are not needed by any query, and a row costs one seal.
extension SQLiteStore {
    /// A column that holds a sealed value.
    struct SealedColumn: Sendable, Hashable {
        let table: String
        let column: String
    }

    static let sealedColumns = [
        SealedColumn(table: "endpoints", column: "secret"),
        SealedColumn(table: "endpoints", column: "previous_secret"),
        SealedColumn(table: "endpoints", column: "headers"),
        SealedColumn(table: "sources", column: "signing_secret"),
        SealedColumn(table: "sources", column: "previous_signing_secret"),
    ]

    /// Opens one sealed value per key id found in the database, so that a missing or wrong
    /// master key stops the start with a clear error instead of failing signatures later.
    func checkSealedSecrets() throws {
        let samples = try pool.read { db in
            var samples: [String: String] = [:]
            for sealed in Self.sealedColumns {
                let values = try String.fetchAll(
                    db, sql: "SELECT \(sealed.column) FROM \(sealed.table) WHERE substr(\(sealed.column), 1, 4) = 'sb1:'")
                for value in values {
                    let keyID = SecretSealer.keyID(of: value) ?? ""
                    if samples[keyID] == nil { samples[keyID] = value }
                }
            }
            return samples
        }
        for keyID in samples.keys.sorted() {
            _ = try sealer.unseal(samples[keyID] ?? "")
        }
    }

    /// Seals, in one transaction, every secret an older version stored in plaintext; then
    /// rewrites the file (`VACUUM`) and empties the WAL, so that no copy of the plaintext stays
    /// behind in free pages or old WAL frames. A one-time cost on the first start after upgrading.
    func sealLegacyPlaintext() throws {
        let sealer = sealer
        let count = try pool.write { db in
            try Self.maskLegacyAttemptHeaders(db)
            return try Self.reseal(db, onlyPlaintext: true) { plaintext in try sealer.seal(plaintext) }
        }
        guard count > 0 else { return }
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                try db.checkpoint(.truncate)
            }
        } catch {
            logger.warning(
                "sealed the plaintext secrets, but could not rewrite the database file; old copies may remain in its free pages",
                metadata: ["error": "\(error)"])
        }
        logger.notice(
            "sealed the secrets an older version stored in plaintext, and rewrote the database file without them",
            metadata: ["values": "\(count)"])
    }

    /// Re-seals every secret under `keyring`'s current key, in one write transaction.
    ///
    /// `publish` runs first inside the transaction, while it holds the database's write lock:
    /// it makes `keyring` visible to other processes (writes the key file). A running server
    /// seals inside its own write transactions after re-reading its key file, so every value
    /// it writes either comes before this transaction (and is re-sealed by it) or after
    /// `publish` (and is sealed under the new key). If `publish` throws, nothing changes.
    ///
    /// - Parameter keyring: The new current key, with the previous keys for reading.
    /// - Returns: How many values were re-sealed.
    public func resealSecrets(
        under keyring: MasterKeyring, publish: @escaping @Sendable () throws -> Void
    ) async throws -> Int {
        let reader = SecretSealer(keyring: keyring, origin: "the new keyring")
        let current = keyring.current
        return try await write { db in
            try publish()
            return try Self.reseal(db, onlyPlaintext: false) { stored in
                try SecretSealer.seal(reader.unseal(stored), with: current)
            }
        }
    }

    /// How many sealed values each key id seals; plaintext values count under `""`.
    public func sealedSecretKeyIDs() async throws -> [String: Int] {
        try await read { db in
            var counts: [String: Int] = [:]
            for sealed in Self.sealedColumns {
                for value in try String.fetchAll(db, sql: "SELECT \(sealed.column) FROM \(sealed.table) WHERE \(sealed.column) IS NOT NULL") {
                    counts[SecretSealer.keyID(of: value) ?? "", default: 0] += 1
                }
            }
            return counts
        }
    }

    /// Masks, in the attempts an older version recorded, the values of their endpoint's custom
    /// headers (still plaintext in `endpoints.headers`), as attempts are recorded now.
    private static func maskLegacyAttemptHeaders(_ db: Database) throws {
        let endpoints = try Row.fetchAll(db, sql: "SELECT id, headers FROM endpoints WHERE substr(headers, 1, 4) <> 'sb1:'")
        let update = try db.makeStatement(sql: "UPDATE attempts SET request_headers = ? WHERE seq = ?")
        for endpoint in endpoints {
            let names = Set(Rows.decode([String: String].self, endpoint["headers"], default: [:]).keys.map { $0.lowercased() })
            guard !names.isEmpty else { continue }
            let attempts = try Row.fetchAll(
                db, sql: "SELECT seq, request_headers FROM attempts WHERE endpoint_id = ?", arguments: [endpoint["id"] as String])
            for attempt in attempts {
                let recorded = Rows.decode([String: String].self, attempt["request_headers"], default: [:])
                var masked = recorded
                for name in recorded.keys where names.contains(name.lowercased()) { masked[name] = Endpoint.redactedHeaderValue }
                if masked != recorded { try update.execute(arguments: [Rows.json(masked), attempt["seq"] as Int64]) }
            }
        }
    }

    /// Replaces each value of the sealed columns (only the plaintext ones when `onlyPlaintext`)
    /// by `transform(value)`; returns how many changed.
    private static func reseal(
        _ db: Database, onlyPlaintext: Bool, _ transform: (String) throws -> String
    ) throws -> Int {
        var count = 0
        for sealed in sealedColumns {
            let filter = onlyPlaintext ? "AND substr(\(sealed.column), 1, 4) <> 'sb1:'" : ""
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, \(sealed.column) AS value FROM \(sealed.table) WHERE \(sealed.column) IS NOT NULL \(filter)")
            let update = try db.makeStatement(sql: "UPDATE \(sealed.table) SET \(sealed.column) = ? WHERE id = ?")
            for row in rows {
                try update.execute(arguments: [try transform(row["value"]), row["id"] as String])
                count += 1
            }
        }
        return count
    }
}
