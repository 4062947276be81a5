import Foundation
import Synchronization
import SwitchboardCore

/// Publishes the bench's events, either through the publish API or as Stripe-signed requests
/// to a tenant's inbound source, and notes when each was accepted.
struct BenchPublisher: Sendable {
    /// What a run of publishes produced.
    struct Run: Sendable {
        /// When the first publish began.
        let start: ContinuousClock.Instant
        /// From the first publish beginning to the last one returning.
        let elapsed: Duration
        let published: Int
        /// When `publish` returned, per event id (empty unless asked for).
        let accepted: [String: ContinuousClock.Instant]
        /// How long each `publish` call took (empty unless asked for).
        let callDurations: [Duration]
    }

    static let stripeSecret = "whsec_bench_stripe_secret"
    static let payload = Data(#"{"order_id":"ord_1","total":149.5,"currency":"EUR"}"#.utf8)

    /// The nodes events are published to, in turn (one unless `bench --nodes`); the first
    /// creates the endpoints and sources.
    let nodes: [Switchboard]
    var switchboard: Switchboard { nodes[0] }
    /// The inbound source per tenant when events go through a Stripe source; empty for the publish API.
    let sources: [TenantID: Source]

    /// A publisher for `tenants`; with `stripeSource`, each tenant gets a Stripe source its endpoints subscribe to.
    static func make(_ nodes: [Switchboard], tenants: [TenantID], stripeSource: Bool) async throws -> BenchPublisher {
        let switchboard = nodes[0]
        var sources: [TenantID: Source] = [:]
        if stripeSource {
            for tenant in tenants {
                sources[tenant] = try await switchboard.createSource(
                    SourceDraft(name: "bench-\(tenant)", provider: .stripe, signingSecret: stripeSecret), tenant: tenant)
            }
        }
        return BenchPublisher(nodes: nodes, sources: sources)
    }

    /// Creates `count` endpoints of `tenant` delivering to `url`, with the default concurrency.
    func createEndpoints(_ count: Int, tenant: TenantID, url: (Int) -> String) async throws {
        for index in 0..<count {
            _ = try await switchboard.createEndpoint(
                EndpointDraft(name: "bench-\(tenant)-\(index)", url: url(index), sourceIDs: sources[tenant].map { [$0.id] } ?? []),
                tenant: tenant)
        }
    }

    /// A Stripe-signed request for event number `index`, as Stripe would send it now.
    static func stripeRequest(_ index: Int) -> InboundVerifier.Request {
        let body = StripeSigning.event(id: "evt_bench_\(index)", type: "charge.succeeded", amount: 2000, currency: "eur")
        return InboundVerifier.Request(headers: ["stripe-signature": StripeSigning.header(for: body, secret: stripeSecret)], body: body)
    }

    /// Publishes event number `index` for `tenant` and returns its id.
    func publish(_ index: Int, tenant: TenantID) async throws -> String {
        let switchboard = nodes[index % nodes.count]
        if let source = sources[tenant] {
            return try await switchboard.ingest(slug: source.slug, request: Self.stripeRequest(index)).event.id
        }
        return try await switchboard.publish(PublishRequest(tenantID: tenant, eventType: "order.created", payload: Self.payload)).event.id
    }

    /// Publishes `count` events from `publishers` concurrent tasks, each as soon as the last
    /// returned, or, with `pace` (events/s), event number `n` not before `n / pace` seconds
    /// after the start. `extra` is published besides event `n` when it returns a tenant.
    func publishMany(
        count: Int, publishers: Int, tenant: TenantID, pace: Double? = nil, firstIndex: Int = 0, recording: Bool = true,
        extra: (@Sendable (Int) -> TenantID?)? = nil
    ) async throws -> Run {
        let start = ContinuousClock.now
        let perPublisher = (count + publishers - 1) / publishers
        typealias Notes = (accepted: [(String, ContinuousClock.Instant)], durations: [Duration])
        let notes = try await withThrowingTaskGroup(of: Notes.self) { group in
            for publisher in 0..<publishers where publisher < count {
                group.addTask {
                    var notes: Notes = ([], [])
                    if recording {
                        notes.accepted.reserveCapacity(perPublisher)
                        notes.durations.reserveCapacity(perPublisher)
                    }
                    var number = publisher
                    while number < count {
                        if let pace {
                            let due = start.advanced(by: .seconds(Double(number) / pace))
                            if ContinuousClock.now < due { try await Task.sleep(until: due, clock: .continuous) }
                        }
                        let began = ContinuousClock.now
                        let id = try await publish(firstIndex + number, tenant: tenant)
                        let returned = ContinuousClock.now
                        if recording {
                            notes.accepted.append((id, returned))
                            notes.durations.append(began.duration(to: returned))
                        }
                        if let other = extra?(number) { _ = try await publish(firstIndex + count + number, tenant: other) }
                        number += publishers
                    }
                    return notes
                }
            }
            return try await group.reduce(into: [Notes]()) { $0.append($1) }
        }
        let elapsed = start.duration(to: .now)
        var accepted: [String: ContinuousClock.Instant] = [:]
        accepted.reserveCapacity(recording ? count : 0)
        for note in notes { for (id, at) in note.accepted { accepted[id] = at } }
        return Run(start: start, elapsed: elapsed, published: count, accepted: accepted, callDurations: notes.flatMap(\.durations))
    }

    /// Publishes `rate` events/s for `duration`, one per tick of a steady ticker; each publish
    /// runs in its own task so a slow commit never delays the next tick.
    func publishSteadily(rate: Double, duration: Duration, tenant: TenantID) async throws -> Run {
        let total = max(1, Int((duration.benchSeconds * rate).rounded()))
        let start = ContinuousClock.now
        // A discarding group frees each publish's task as it ends: a group that keeps results
        // until the end held every finished task, ~23 KB each (280 MiB over 10 s at 1,000/s).
        let accepted = AcceptedTimes()
        try await withThrowingDiscardingTaskGroup { group in
            for number in 0..<total {
                let due = start.advanced(by: .seconds(Double(number) / rate))
                if ContinuousClock.now < due { try await Task.sleep(until: due, clock: .continuous) }
                group.addTask {
                    let id = try await publish(number, tenant: tenant)
                    let now = ContinuousClock.now
                    accepted.times.withLock { $0[id] = now }
                }
            }
        }
        return Run(start: start, elapsed: start.duration(to: .now), published: total, accepted: accepted.times.withLock { $0 }, callDurations: [])
    }
}

/// When each steadily published event was accepted, written by the publishing tasks.
private final class AcceptedTimes: Sendable {
    let times = Mutex<[String: ContinuousClock.Instant]>([:])
}
