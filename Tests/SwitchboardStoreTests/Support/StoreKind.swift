import Testing

/// The stores every conformance test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `SQLiteStore` on a temporary file.
    case sqlite
    /// `PostgresStore` on a fresh schema of the database named by `SWITCHBOARD_TEST_POSTGRES_URL`.
    case postgres

    var testDescription: String { rawValue }

    /// The environment variable naming the test database.
    static let postgresURLVariable = "SWITCHBOARD_TEST_POSTGRES_URL"
}
