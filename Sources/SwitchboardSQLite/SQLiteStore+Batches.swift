import GRDB

extension SQLiteStore {
    /// Most rows one multi-row statement carries: few enough distinct statements to cache,
    /// enough to pay a statement's overhead once per many rows.
    static let rowsPerStatement = 32

    /// Executes a statement over many rows of arguments, at most ``rowsPerStatement`` rows per
    /// execution; `sql(n)` is its text for `n` rows. Statement overhead, not the rows, is what
    /// a row-at-a-time loop pays for on the writer that every publish waits behind.
    static func executeRows(_ db: Database, _ rows: [[(any DatabaseValueConvertible)?]], sql: (Int) -> String) throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            try db.cachedStatement(sql: sql(chunk.count)).execute(arguments: StatementArguments(chunk.joined()))
            start += chunk.count
        }
    }

    /// `(?, ?), (?, ?)` for 2 rows of width 2; with `then`, each row ends with that SQL:
    /// `(?, ?, 0), (?, ?, 0)`.
    static func valuesList(rows: Int, width: Int, then literals: String? = nil) -> String {
        let row = "(" + (Array(repeating: "?", count: width) + (literals.map { [$0] } ?? [])).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Row ids as a JSON array, for `seq IN (SELECT value FROM json_each(?))`.
    static func seqList(_ seqs: some Sequence<Int64>) -> String {
        "[" + seqs.map(String.init).joined(separator: ",") + "]"
    }
}
