import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardSQLite
import SwitchboardTransport

/// `switchboard bench`: measures the publish path and delivery throughput on this machine,
/// in-process, against a real SQLite file and a real receiver on loopback. Prints figures;
/// judges nothing.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure publish and delivery throughput on this machine and print the figures.")

    @Option(help: "Events to publish.") var events: Int = 20_000
    @Option(help: "Concurrent publishers.") var publishers: Int = 64
    @Option(help: "Endpoints every event fans out to.") var endpoints: Int = 1
    @Option(help: "SQLite durability: full or normal.") var synchronous: String = "full"
    @Flag(help: "Send the events as Stripe-signed requests to an inbound source (verification, dedupe and source counters included) instead of publishing them.")
    var stripeSource = false

    func run() async throws {
        guard events > 0, publishers > 0, endpoints >= 0 else { throw ValidationError("--events and --publishers must be positive, --endpoints 0 or more") }
        guard let mode = SQLiteStore.SynchronousMode(rawValue: synchronous.uppercased()) else { throw ValidationError("--synchronous must be full or normal") }
        let logger = {
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            return logger
        }()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sealer = SecretSealer(keyring: MasterKeyring(current: .generate()), origin: "a throwaway bench key")
        let store = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path, synchronous: mode, sealer: sealer, logger: logger)
        let switchboard = Switchboard(store: store, configuration: DispatcherConfiguration(maxConcurrency: 128, endpointConcurrency: 32, claimBatchSize: 128), logger: logger)
        let transport = HTTPDeliveryTransport(addressGuard: DestinationPolicy.development.network)
        let dispatcher = DeliveryDispatcher(switchboard: switchboard, transport: transport, logger: logger)
        let receiverPort = try FreePort.find()
        let through = stripeSource ? "a Stripe source" : "the publish API"
        print("switchboard bench: \(events) events through \(through), \(publishers) publishers, \(endpoints) endpoint(s), synchronous=\(mode.rawValue)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.receiver(port: receiverPort, logger: logger).run() }
            let source = stripeSource
                ? try await switchboard.createSource(
                    SourceDraft(name: "bench", provider: .stripe, signingSecret: Self.stripeSecret), tenant: .defaultTenant)
                : nil
            for index in 0..<endpoints {
                _ = try await switchboard.createEndpoint(
                    EndpointDraft(
                        name: "bench-\(index)", url: "http://127.0.0.1:\(receiverPort)/hooks", sourceIDs: source.map { [$0.id] } ?? [],
                        maxConcurrency: 32),
                    tenant: .defaultTenant)
            }
            group.addTask { try await dispatcher.run() }
            let published = try await publishAll(switchboard, source: source)
            print(String(format: "publish:  %.0f events/s (%.2f s), latency p50 %.1f ms, p99 %.1f ms",
                         Double(events) / published.seconds, published.seconds, published.p50 * 1000, published.p99 * 1000))
            if endpoints > 0 {
                let deliveredIn = try await waitForDeliveries(store, total: events * endpoints, since: published.start)
                print(String(format: "delivery: %.0f deliveries/s (all %d delivered %.2f s after the first publish)",
                             Double(events * endpoints) / deliveredIn, events * endpoints, deliveredIn))
            }
            print("memory:   peak resident \(Self.peakResidentMegabytes()) MiB")
            group.cancelAll()
        }
        await transport.shutdown()
    }

    static let stripeSecret = "whsec_bench_stripe_secret"

    /// A Stripe-signed request for event number `index`, as Stripe would send it now.
    static func stripeRequest(_ index: Int) -> InboundVerifier.Request {
        let body = StripeSigning.event(id: "evt_bench_\(index)", type: "charge.succeeded", amount: 2000, currency: "eur")
        return InboundVerifier.Request(headers: ["stripe-signature": StripeSigning.header(for: body, secret: stripeSecret)], body: body)
    }

    private func publishAll(_ switchboard: Switchboard, source: Source?) async throws -> (seconds: Double, p50: Double, p99: Double, start: ContinuousClock.Instant) {
        let start = ContinuousClock.now
        let payload = Data(#"{"order_id":"ord_1","total":149.5,"currency":"EUR"}"#.utf8)
        let perPublisher = (events + publishers - 1) / publishers
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for publisher in 0..<publishers {
                let count = min(perPublisher, events - publisher * perPublisher)
                guard count > 0 else { continue }
                group.addTask {
                    var measured: [Double] = []
                    for offset in 0..<count {
                        let began = ContinuousClock.now
                        if let source {
                            _ = try await switchboard.ingest(slug: source.slug, request: Self.stripeRequest(publisher * perPublisher + offset))
                        } else {
                            _ = try await switchboard.publish(PublishRequest(tenantID: .defaultTenant, eventType: "order.created", payload: payload))
                        }
                        measured.append(began.duration(to: .now).timeInterval)
                    }
                    return measured
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }.sorted()
        }
        return (start.duration(to: .now).timeInterval, latencies[latencies.count / 2], latencies[min(latencies.count - 1, latencies.count * 99 / 100)], start)
    }

    private func waitForDeliveries(_ store: SQLiteStore, total: Int, since start: ContinuousClock.Instant) async throws -> Double {
        let deadline = ContinuousClock.now.advanced(by: .seconds(600))
        while ContinuousClock.now < deadline {
            let gauges = try await store.gauges()
            if gauges.queueDepth + gauges.inFlightDeliveries == 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return start.duration(to: .now).timeInterval
    }

    private static func receiver(port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.post("/hooks") { _, _ in HTTPResponse.Status.ok }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    }

    static func peakResidentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kilobytes / 1024
    }
}

extension Duration {
    var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
