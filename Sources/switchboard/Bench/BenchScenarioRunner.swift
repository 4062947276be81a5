import Foundation
import Logging
import SwitchboardConsole
import SwitchboardCore

/// Runs each ``BenchScenario`` on its own ``BenchRig`` and reports its figures, CPU time and memory peak.
struct BenchScenarioRunner: Sendable {
    static let tenantA: TenantID = "tenant-a"
    static let tenantB: TenantID = "tenant-b"
    /// Tenant-a events published before the slow measurement, so its endpoints already hang.
    static let hangPrimerEvents = 8
    /// In the slow scenario, one tenant-a event is published per this many tenant-b events.
    static let tenantBEventsPerTenantAEvent = 100
    /// How long a scenario waits for its deliveries before giving up.
    static let deliveryTimeout = Duration.seconds(120)

    let settings: BenchSettings
    let logger: Logger

    /// Runs `scenario`; a slow scenario reports its baseline first.
    func run(_ scenario: BenchScenario) async throws -> [ScenarioReport] {
        switch scenario {
        case .publish: return [try await measured("publish") { try await publish() }]
        case .deliver(let endpoints): return [try await measured(scenario.name) { try await deliver(endpoints: endpoints) }]
        case .steady: return [try await measured("steady") { try await steady() }]
        case .slow:
            var baseline: SlowBaseline?
            let baselineReport = try await measured("slow-baseline") {
                let (report, figures) = try await slowBaseline()
                baseline = figures
                return report
            }
            guard let baseline else { return [baselineReport] }
            return [baselineReport, try await measured("slow") { try await slow(against: baseline) }]
        case .stored: return [try await measured("stored") { try await stored() }]
        case .console: return [try await measured("console") { try await console() }]
        }
    }

    /// Runs `body` between two readings of CPU time, resetting the memory peak first, and adds both to its line.
    private func measured(_ name: String, _ body: () async throws -> ScenarioReport) async throws -> ScenarioReport {
        let peakReset = ProcessUsage.resetPeakResident()
        let cpuBefore = ProcessUsage.cpuSeconds()
        var report = try await body()
        let cpu = ProcessUsage.cpuSeconds() - cpuBefore
        let peak = ProcessUsage.peakResidentBytes()
        var cpuFigures = ["CPU \(BenchFormat.seconds(cpu))", BenchFormat.cpu(cpu, per: report.events, "events")]
        if report.deliveries > 0 { cpuFigures.append(BenchFormat.cpu(cpu, per: report.deliveries, "deliveries")) }
        report.line += "; " + cpuFigures.joined(separator: ", ")
        report.line += "; peak RSS \(BenchFormat.mebibytes(peak))" + (peakReset ? "" : " (since the process started)")
        if name == "stored" {
            report.measures.append(
                .init(measure: "peak RSS after \(BenchFormat.grouped(settings.storedEvents)) stored events", figure: BenchFormat.mebibytes(peak), target: "≤ 150 MiB"))
        }
        return report
    }

    private func rig<Result: Sendable>(_ body: (BenchRig) async throws -> Result) async throws -> Result {
        try await BenchRig.run(synchronous: settings.synchronous, storeURL: settings.storeURL, nodes: settings.nodes, logger: logger, body)
    }

    // MARK: Scenarios

    private func publish() async throws -> ScenarioReport {
        let events = settings.publishEvents
        return try await rig { rig in
            let publisher = try await BenchPublisher.make(rig.nodes, tenants: [.defaultTenant], stripeSource: settings.stripeSource)
            let run = try await publisher.publishMany(count: events, publishers: settings.publishers, tenant: .defaultTenant)
            let rate = Double(events) / run.elapsed.benchSeconds
            let calls = LatencySummary(run.callDurations)
            var report = ScenarioReport(
                name: "publish",
                line: "\(BenchFormat.grouped(events)) events, \(settings.publishers) publishers, no endpoints: "
                    + "\(BenchFormat.rate(rate, "publishes")) in \(BenchFormat.seconds(run.elapsed.benchSeconds)); publish call \(calls.description)")
            report.events = events
            report.measures.append(.init(measure: "publishes/s, \(settings.publishers) publishers", figure: BenchFormat.rate(rate, "publishes"), target: "≥ 12,000/s"))
            return report
        }
    }

    private func deliver(endpoints: Int) async throws -> ScenarioReport {
        let events = settings.deliverEvents(endpoints: endpoints)
        let name = BenchScenario.deliver(endpoints: endpoints).name
        return try await rig { rig in
            let publisher = try await BenchPublisher.make(rig.nodes, tenants: [.defaultTenant], stripeSource: settings.stripeSource)
            try await publisher.createEndpoints(endpoints, tenant: .defaultTenant) { rig.receiver.url("\(BenchReceiver.hooksPath)/\($0)") }
            let run = try await publisher.publishMany(count: events, publishers: settings.publishers, tenant: .defaultTenant)
            let expected = events * endpoints
            let complete = try await rig.waitForDeliveries(expected, timeout: Self.deliveryTimeout)
            let delivery = DeliveryFigures(run: run, log: rig.receiver.log)
            var report = ScenarioReport(
                name: name,
                line: "\(BenchFormat.grouped(events)) events × \(endpoints) endpoint(s): \(delivery.received(of: expected, complete: complete)); "
                    + "\(BenchFormat.rate(delivery.rate, "deliveries")) (first publish → last received, \(BenchFormat.seconds(delivery.span.benchSeconds))), "
                    + "publishing \(BenchFormat.rate(Double(events) / run.elapsed.benchSeconds, "events")); "
                    + "publish→received \(delivery.latency.description); \(delivery.duplicates) duplicate(s)")
            report.events = events
            report.deliveries = delivery.received
            report.measures.append(
                .init(measure: "deliveries/s, \(endpoints) endpoint\(endpoints == 1 ? "" : "s")", figure: BenchFormat.rate(delivery.rate, "deliveries"),
                      target: endpoints == 1 ? "≥ 10,000/s" : endpoints == 8 ? "≥ 12,000/s" : "-"))
            report.measures.append(
                .init(measure: "p99 publish → received, \(endpoints) endpoint\(endpoints == 1 ? "" : "s") (saturated)", figure: BenchFormat.milliseconds(delivery.latency.p99), target: "-"))
            return report
        }
    }

    private func steady() async throws -> ScenarioReport {
        let rate = settings.rate
        return try await rig { rig in
            let publisher = try await BenchPublisher.make(rig.nodes, tenants: [.defaultTenant], stripeSource: settings.stripeSource)
            try await publisher.createEndpoints(1, tenant: .defaultTenant) { _ in rig.receiver.url(BenchReceiver.hooksPath) }
            let run = try await publisher.publishSteadily(rate: rate, duration: settings.duration, tenant: .defaultTenant)
            let complete = try await rig.waitForDeliveries(run.published, timeout: Self.deliveryTimeout)
            let delivery = DeliveryFigures(run: run, log: rig.receiver.log)
            var report = ScenarioReport(
                name: "steady",
                line: "\(BenchFormat.rate(rate, "events")) for \(BenchFormat.seconds(settings.duration.benchSeconds)) to 1 endpoint "
                    + "(\(BenchFormat.grouped(run.published)) events, published in \(BenchFormat.seconds(run.elapsed.benchSeconds))): "
                    + "\(delivery.received(of: run.published, complete: complete)); publish→received \(delivery.latency.description); \(delivery.duplicates) duplicate(s)")
            report.events = run.published
            report.deliveries = delivery.received
            report.measures.append(
                .init(measure: "p99 publish → received at \(BenchFormat.rate(rate, "events"))", figure: BenchFormat.milliseconds(delivery.latency.p99), target: "≤ 10 ms"))
            return report
        }
    }

    /// What the slow scenario compares against: tenant-b alone.
    struct SlowBaseline: Sendable {
        /// Tenant-b events published per second, the pace the slow run publishes at.
        let publishPace: Double
        /// Tenant-b deliveries received per second.
        let deliveryRate: Double
    }

    private func slowBaseline() async throws -> (ScenarioReport, SlowBaseline) {
        let events = settings.slowEvents
        return try await rig { rig in
            let publisher = try await BenchPublisher.make(rig.nodes, tenants: [Self.tenantB], stripeSource: settings.stripeSource)
            try await publisher.createEndpoints(1, tenant: Self.tenantB) { _ in rig.receiver.url(BenchReceiver.hooksPath) }
            let run = try await publisher.publishMany(count: events, publishers: settings.publishers, tenant: Self.tenantB)
            let complete = try await rig.waitForDeliveries(events, timeout: Self.deliveryTimeout)
            let delivery = DeliveryFigures(run: run, log: rig.receiver.log)
            let pace = Double(events) / run.elapsed.benchSeconds
            var report = ScenarioReport(
                name: "slow-baseline",
                line: "\(BenchFormat.grouped(events)) tenant-b events to 1 endpoint, no hanging endpoints: \(delivery.received(of: events, complete: complete)); "
                    + "\(BenchFormat.rate(delivery.rate, "deliveries")), published at \(BenchFormat.rate(pace, "events")); "
                    + "publish→received \(delivery.latency.description); \(delivery.duplicates) duplicate(s)")
            report.events = events
            report.deliveries = delivery.received
            return (report, SlowBaseline(publishPace: pace, deliveryRate: delivery.rate))
        }
    }

    private func slow(against baseline: SlowBaseline) async throws -> ScenarioReport {
        let events = settings.slowEvents
        let slowEndpoints = settings.slowEndpoints
        return try await rig { rig in
            let publisher = try await BenchPublisher.make(rig.nodes, tenants: [Self.tenantA, Self.tenantB], stripeSource: settings.stripeSource)
            try await publisher.createEndpoints(slowEndpoints, tenant: Self.tenantA) { rig.receiver.url("\(BenchReceiver.hangPath)/\($0)") }
            try await publisher.createEndpoints(1, tenant: Self.tenantB) { _ in rig.receiver.url(BenchReceiver.hooksPath) }
            let primerBase = 10 * (events + 1)
            for index in 0..<Self.hangPrimerEvents { _ = try await publisher.publish(primerBase + index, tenant: Self.tenantA) }
            let hangingWanted = slowEndpoints * rig.switchboard.configuration.endpointConcurrency
            let hangDeadline = ContinuousClock.now.advanced(by: .seconds(5))
            while rig.receiver.log.hanging < hangingWanted, ContinuousClock.now < hangDeadline { try await Task.sleep(for: .milliseconds(10)) }
            let hangingAtStart = rig.receiver.log.hanging
            let every = Self.tenantBEventsPerTenantAEvent
            let run = try await publisher.publishMany(
                count: events, publishers: settings.publishers, tenant: Self.tenantB, pace: baseline.publishPace,
                extra: { $0 % every == 0 ? Self.tenantA : nil })
            let complete = try await rig.waitForDeliveries(events, timeout: Self.deliveryTimeout)
            let delivery = DeliveryFigures(run: run, log: rig.receiver.log)
            let ratio = baseline.deliveryRate > 0 ? delivery.rate / baseline.deliveryRate : 0
            let tenantAEvents = Self.hangPrimerEvents + (events + every - 1) / every
            var report = ScenarioReport(
                name: "slow",
                line: "\(slowEndpoints) tenant-a endpoints hanging (\(hangingAtStart) requests hanging at the start, \(rig.receiver.log.hanging) at the end, "
                    + "\(tenantAEvents) tenant-a events), \(BenchFormat.grouped(events)) tenant-b events paced at \(BenchFormat.rate(baseline.publishPace, "events")) "
                    + "(published in \(BenchFormat.seconds(run.elapsed.benchSeconds))): tenant-b \(delivery.received(of: events, complete: complete)); "
                    + "\(BenchFormat.rate(delivery.rate, "deliveries")) = \(BenchFormat.percent(ratio)) of the baseline's \(BenchFormat.rate(baseline.deliveryRate, "deliveries")); "
                    + "tenant-b publish→received \(delivery.latency.description); \(delivery.duplicates) duplicate(s)")
            report.events = events + tenantAEvents
            report.deliveries = delivery.received
            report.measures.append(
                .init(measure: "healthy deliveries/s while \(slowEndpoints) endpoints of another tenant hang",
                      figure: "\(BenchFormat.rate(delivery.rate, "deliveries")) = \(BenchFormat.percent(ratio))", target: "≥ 80 % of the baseline"))
            report.measures.append(.init(measure: "tenant-b p99 publish → received while they hang", figure: BenchFormat.milliseconds(delivery.latency.p99), target: "-"))
            return report
        }
    }

    private func stored() async throws -> ScenarioReport {
        let events = settings.storedEvents
        return try await rig { rig in
            let publisher = try await BenchPublisher.make(rig.nodes, tenants: [.defaultTenant], stripeSource: settings.stripeSource)
            let run = try await publisher.publishMany(count: events, publishers: settings.publishers, tenant: .defaultTenant, recording: false)
            let rate = Double(events) / run.elapsed.benchSeconds
            var report = ScenarioReport(
                name: "stored",
                line: "\(BenchFormat.grouped(events)) events stored, no endpoints: \(BenchFormat.rate(rate, "publishes")) in \(BenchFormat.seconds(run.elapsed.benchSeconds)); "
                    + "store files \(rig.storeFileBytes().map(BenchFormat.mebibytes) ?? "on the server"); RSS now \(BenchFormat.mebibytes(ProcessUsage.residentBytes()))")
            report.events = events
            return report
        }
    }

    /// A store like a busy production one (history, a few hundred retrying deliveries, 100,000
    /// waiting for a paused endpoint), then the console's steps timed over it.
    private func console() async throws -> ScenarioReport {
        let total = settings.storedEvents
        let waiting = min(100_000, total / 10)
        let retrying = min(500, total / 100)
        return try await rig { rig in
            let switchboard = rig.switchboard
            let publisher = try await BenchPublisher.make([switchboard], tenants: [.defaultTenant], stripeSource: false)
            let seeding = ContinuousClock.now
            _ = try await publisher.publishMany(count: total - waiting - retrying, publishers: settings.publishers, tenant: .defaultTenant, recording: false)
            _ = try await switchboard.createEndpoint(
                EndpointDraft(name: "failing", url: "http://127.0.0.1:\(rig.receiver.port)/gone", eventTypes: ["invoice.*"]), tenant: .defaultTenant)
            for _ in 0..<retrying {
                _ = try await switchboard.publish(PublishRequest(tenantID: .defaultTenant, eventType: "invoice.failed", payload: BenchPublisher.payload))
            }
            let paused = try await switchboard.createEndpoint(
                EndpointDraft(name: "paused", url: "http://127.0.0.1:\(rig.receiver.port)/hooks/paused", eventTypes: ["order.*"]), tenant: .defaultTenant)
            _ = try await switchboard.disableEndpoint(id: paused.id, tenant: .defaultTenant)
            _ = try await publisher.publishMany(count: waiting, publishers: settings.publishers, tenant: .defaultTenant, recording: false)
            let seeded = (ContinuousClock.now - seeding).benchSeconds
            let target = try await switchboard.events(EventQuery(tenant: nil, limit: 1, offset: min(50_000, total - 1))).items.first?.id
            let timings = await ConsoleProbe.measure(switchboard: switchboard, idToFind: target)
            var report = ScenarioReport(
                name: "console",
                line: "\(BenchFormat.grouped(total)) events (\(BenchFormat.grouped(waiting)) waiting, \(retrying) retrying) seeded in \(BenchFormat.seconds(seeded)); "
                    + timings.map { "\($0.step) \(String(format: "%.1f", $0.frameMilliseconds)) ms to its frame, \(String(format: "%.1f", $0.milliseconds)) ms with its data (\($0.outcome))" }.joined(separator: ", "))
            for timing in timings {
                let isQuery = ["filter", "id", "clear", "failures", "retry queue"].contains { timing.step.hasPrefix($0) }
                let isMovement = timing.step.hasPrefix("j") || timing.step.hasPrefix("G") || timing.step.hasPrefix("g")
                report.measures.append(
                    .init(measure: "console \(timing.step), \(BenchFormat.grouped(total)) events: frame / with data",
                          figure: String(format: "%.1f / %.1f ms", timing.frameMilliseconds, timing.milliseconds),
                          target: isQuery ? "≤ 300 ms" : isMovement ? "≤ 50 ms" : "-"))
            }
            report.events = total
            return report
        }
    }
}
