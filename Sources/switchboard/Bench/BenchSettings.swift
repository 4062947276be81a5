import SwitchboardSQLite

/// The figures every scenario runs with, after `--quick` and the command's flags are applied.
struct BenchSettings: Sendable {
    /// `--events` when given; otherwise each scenario's own default.
    var events: Int?
    var publishers: Int
    var rate: Double
    var duration: Duration
    var slowEndpoints: Int
    var storedEvents: Int
    var quick: Bool
    var synchronous: SQLiteStore.SynchronousMode
    var stripeSource: Bool
    /// A PostgreSQL URL: each scenario's store is a throwaway schema there instead of a SQLite file.
    var storeURL: String? = nil
    /// Nodes sharing that PostgreSQL store, each with its own dispatcher; events are published
    /// to them in turn.
    var nodes = 1

    /// Events for the publish-only scenario.
    var publishEvents: Int { events ?? (quick ? 5_000 : 50_000) }

    /// Events for a delivery scenario to `endpoints` endpoints.
    func deliverEvents(endpoints: Int) -> Int { events ?? (quick ? 5_000 : endpoints == 1 ? 40_000 : 20_000) }

    /// Events of the healthy tenant in the slow scenario and its baseline.
    var slowEvents: Int { events ?? (quick ? 5_000 : 20_000) }
}
