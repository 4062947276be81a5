import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLite

/// `switchboard bench`: measures publishing, delivery throughput, latency, isolation from
/// hanging endpoints and memory on this machine, in-process, against a real SQLite file and a
/// receiver on loopback, with the default configuration. Prints figures next to their
/// targets; judges nothing.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure publish and delivery throughput, latency and memory on this machine and print the figures.",
        discussion: """
            With no scenario flags, runs the suite: publish, deliver-1, deliver-8, steady, slow and stored \
            (stored is left out with --quick). --endpoints, --rate, --slow-endpoints, --stored and --scenario \
            each select a scenario instead.
            """)

    @Option(help: "Events per scenario (default: 50,000 publish, 40,000 deliver-1, 20,000 deliver-N and slow; 5,000 with --quick).")
    var events: Int?
    @Option(help: "Concurrent publishers.") var publishers: Int = 64
    @Option(help: "Run the delivery scenario with this many endpoints (0: the publish scenario).") var endpoints: Int?
    @Option(help: "Run the steady scenario at this many events/s (default 1,000).") var rate: Double?
    @Option(help: "Seconds the steady scenario lasts (default 10; 3 with --quick).") var duration: Double?
    @Option(help: "Run the slow scenario with this many hanging endpoints of another tenant (default 64; 16 with --quick).")
    var slowEndpoints: Int?
    @Option(help: "Run the stored scenario until the store holds this many events (default 1,000,000); with --scenario console, the events the console scenario stores.") var stored: Int?
    @Option(help: "Run this scenario (repeatable): \(BenchScenario.names).") var scenario: [String] = []
    @Flag(help: "A smoke run: smaller scenarios, without stored.") var quick = false
    @Option(help: "SQLite durability: full or normal.") var synchronous: String = "full"
    @Option(name: .customLong("store-url"), help: "Measure on PostgreSQL: each scenario gets a throwaway schema in this database (postgres://user:pass@host:port/db).")
    var storeURL: String?
    @Option(help: "With --store-url: run this many nodes on the one database, each with its own dispatcher and connection pool, publishing to them in turn (delivered/s is their total).")
    var nodes: Int = 1
    @Flag(help: "Send the events as Stripe-signed requests to an inbound source (verification, dedupe and source counters included) instead of publishing them.")
    var stripeSource = false

    func run() async throws {
        let settings = try makeSettings()
        let scenarios = try selectedScenarios()
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        print(
            "switchboard bench: default dispatcher configuration, endpoint concurrency \(DispatcherConfiguration().endpointConcurrency), "
                + (storeURL.flatMap { try? PostgresStoreConfiguration(url: $0).redactedURL }.map { "store \($0), " } ?? "synchronous=\(settings.synchronous.rawValue), ")
                + "events through \(stripeSource ? "a Stripe source" : "the publish API"), "
                + (nodes > 1 ? "\(nodes) nodes in this process, " : "")
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("  receiver, publishers and engine share this process: CPU and RSS figures include all three")
        let runner = BenchScenarioRunner(settings: settings, logger: logger)
        var reports: [ScenarioReport] = []
        for scenario in scenarios {
            for report in try await runner.run(scenario) {
                print("\(report.name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(report.line)")
                reports.append(report)
            }
        }
        printSummary(reports.flatMap(\.measures))
    }

    private func makeSettings() throws -> BenchSettings {
        guard let mode = SQLiteStore.SynchronousMode(rawValue: synchronous.uppercased()) else { throw ValidationError("--synchronous must be full or normal") }
        guard publishers > 0, events.map({ $0 > 0 }) ?? true else { throw ValidationError("--events and --publishers must be positive") }
        guard endpoints.map({ $0 >= 0 }) ?? true, slowEndpoints.map({ $0 > 0 }) ?? true, stored.map({ $0 > 0 }) ?? true else {
            throw ValidationError("--endpoints must be 0 or more, --slow-endpoints and --stored positive")
        }
        guard nodes >= 1 else { throw ValidationError("--nodes must be 1 or more") }
        guard nodes == 1 || storeURL != nil else { throw ValidationError("--nodes needs --store-url: several nodes share one PostgreSQL database") }
        guard rate.map({ $0 > 0 }) ?? true, duration.map({ $0 > 0 }) ?? true else { throw ValidationError("--rate and --duration must be positive") }
        return BenchSettings(
            events: events, publishers: publishers, rate: rate ?? 1_000, duration: .seconds(duration ?? (quick ? 3 : 10)),
            slowEndpoints: slowEndpoints ?? (quick ? 16 : 64), storedEvents: stored ?? 1_000_000, quick: quick, synchronous: mode,
            stripeSource: stripeSource, storeURL: storeURL, nodes: nodes)
    }

    /// The scenarios the flags name, in suite order; the suite when they name none.
    private func selectedScenarios() throws -> [BenchScenario] {
        var selected: Set<BenchScenario> = []
        for name in scenario {
            guard let named = BenchScenario(name: name) else { throw ValidationError("unknown scenario '\(name)'; one of \(BenchScenario.names)") }
            selected.insert(named)
        }
        if let endpoints { selected.insert(endpoints == 0 ? .publish : .deliver(endpoints: endpoints)) }
        if rate != nil { selected.insert(.steady) }
        if slowEndpoints != nil { selected.insert(.slow) }
        if stored != nil && !selected.contains(.console) { selected.insert(.stored) }
        return selected.isEmpty ? BenchScenario.suite(quick: quick) : selected.sorted()
    }

    private func printSummary(_ measures: [ScenarioReport.Measure]) {
        guard !measures.isEmpty else { return }
        let headers = ScenarioReport.Measure(measure: "measure", figure: "figure", target: "target")
        let rows = [headers] + measures
        let measureWidth = rows.map(\.measure.count).max() ?? 0
        let figureWidth = rows.map(\.figure.count).max() ?? 0
        print("\nsummary")
        for (index, row) in rows.enumerated() {
            print("  \(row.measure.padding(toLength: measureWidth, withPad: " ", startingAt: 0))  \(row.figure.padding(toLength: figureWidth, withPad: " ", startingAt: 0))  \(row.target)")
            if index == 0 { print("  " + String(repeating: "-", count: measureWidth + figureWidth + 14)) }
        }
    }
}
