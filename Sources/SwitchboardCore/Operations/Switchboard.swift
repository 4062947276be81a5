import Foundation
import Logging

/// The dispatcher core: every operation the HTTP API, the console and the CLI perform.
///
/// It owns no HTTP server and no terminal. Long-running work lives in its services
/// (``DeliveryDispatcher``); `Switchboard` itself is a set of operations over the ``Store``
/// that announce what they change on the ``ChangeFeed``.
public final class Switchboard: Sendable {
    let store: any Store
    public let feed: ChangeFeed
    public let clock: any WallClock
    public let configuration: DispatcherConfiguration
    /// Live per-endpoint figures (success rate, latency, in flight).
    public let health: EndpointHealthBoard
    let logger: Logger
    let wakeSignal: WakeSignal
    /// Deliveries a publish claims for this process's dispatcher (when the store allows).
    let handoff: DeliveryHandoff

    /// Wakes the dispatcher to claim now: another node of a cluster made deliveries due.
    public func wakeDispatcher() { deliveriesBecameDue() }

    /// Wakes the dispatcher to claim deliveries that became due without it (requeued,
    /// resumed, published by another node). Until it has claimed, no endpoint counts as caught
    /// up, so a fresh publish is not handed over ahead of them.
    func deliveriesBecameDue() {
        handoff.forgetBacklogs()
        wakeSignal.wake(.claim)
    }
    /// Refused inbound requests counted in memory and written in batches, limited per source.
    public let sourceRejections: SourceRejectionLedger
    /// This process's recent log lines, when its logging system feeds a ``RingLogHandler``.
    public let logRing: LogRing?
    private let publisher: GroupCommitter<PublishRequest, InsertOutcome>

    public init(
        store: any Store, configuration: DispatcherConfiguration = DispatcherConfiguration(),
        clock: any WallClock = SystemWallClock(), feed: ChangeFeed = ChangeFeed(), logger: Logger,
        sourceRejections: SourceRejectionLedger? = nil, logRing: LogRing? = nil
    ) {
        self.store = store
        self.logRing = logRing
        self.sourceRejections = sourceRejections ?? SourceRejectionLedger(clock: clock)
        self.configuration = configuration
        self.clock = clock
        self.feed = feed
        self.logger = logger
        self.health = EndpointHealthBoard()
        let wakeSignal = WakeSignal()
        self.wakeSignal = wakeSignal
        let handoff = DeliveryHandoff(wakeSignal: wakeSignal)
        self.handoff = handoff
        let fanOut = FanOut(
            store: store, clock: clock, idempotencyWindow: configuration.idempotencyWindow,
            handoff: store.claimsInPublish ? handoff : nil, endpoints: EndpointCache(feed: feed))
        self.publisher = GroupCommitter(maxBatchSize: configuration.publishBatchSize) { requests in
            try await fanOut.commit(requests)
        }
    }

    /// Publishes an event: validates it, stores it with one delivery per subscribed endpoint
    /// (group-committed with concurrent publishes) and hands them to the dispatcher or wakes
    /// it to claim them.
    public func publish(_ request: PublishRequest) async throws(SwitchboardError) -> PublishResult {
        guard EventType.isValid(request.eventType) else {
            throw .invalid("event_type", "must be 1–\(EventType.maxLength) letters, digits or ._-:/")
        }
        guard request.payload.count <= configuration.maxPayloadBytes else {
            throw SwitchboardError(.tooLarge, code: "payload_too_large", message: "payload is larger than \(configuration.maxPayloadBytes) bytes", field: "payload")
        }
        if let key = request.idempotencyKey, key.isEmpty || key.count > 255 {
            throw .invalid("Idempotency-Key", "must be 1–255 characters")
        }
        let outcome = try await storeCall { try await publisher.submit(request) }
        switch outcome {
        case .inserted(let event, let deliveries):
            DeliveryMetrics.eventsPublished.increment()
            feed.publish(.eventPublished(event, deliveries: deliveries))
            // Left pending for a claim; an endpoint full up asks for one itself as its slots free up.
            let waiting = deliveries.lazy.filter { $0.state == .pending }.map(\.endpointID)
            if !waiting.isEmpty, handoff.claimCouldTake(waiting) { wakeSignal.wake(.claim) }
            return PublishResult(event: event, deliveries: deliveries, isDuplicate: false)
        case .duplicate(let event, let deliveries):
            return PublishResult(event: event, deliveries: deliveries, isDuplicate: true)
        case .idempotencyConflict:
            throw SwitchboardError(
                .conflict, code: "idempotency_key_reused",
                message: "Idempotency-Key was already used with a different request body in the last \(Int(configuration.idempotencyWindow / 3600)) h",
                field: "Idempotency-Key")
        }
    }

    /// Runs a store call, turning store failures into ``SwitchboardError``s safe to show.
    func storeCall<T>(_ body: () async throws -> T) async throws(SwitchboardError) -> T {
        do {
            return try await body()
        } catch let error as SwitchboardError {
            throw error
        } catch let error as StoreError where error.isNotFound {
            throw SwitchboardError(.notFound, code: "not_found", message: error.description)
        } catch let error as StoreError where error.isConflict {
            throw SwitchboardError(.conflict, code: "conflict", message: error.description)
        } catch {
            logger.error("store call failed", metadata: ["error": "\(error)"])
            throw SwitchboardError(.unavailable, code: "store_unavailable", message: "the store is unavailable; try again")
        }
    }

    // MARK: Figures

    /// Throws when the store cannot serve queries (for `/healthz`).
    public func checkHealth() async throws {
        try await store.checkHealth()
    }

    /// Queue depth and endpoint states across tenants, right now (for `/metrics` and the console).
    public func gauges() async throws -> StoreGauges {
        try await store.gauges()
    }
}
