import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Claims due deliveries in batches, sends them and records each attempt: the delivery engine.
///
/// Runs as a `Service`. It wakes when an event is published or an operator requeues
/// something, and otherwise every ``DispatcherConfiguration/pollInterval`` to pick up due
/// retries. On graceful shutdown it stops claiming, lets in-flight deliveries finish for at
/// most ``DispatcherConfiguration/drainTimeout``, then cancels the rest: their leases lapse
/// and they are attempted again later (at-least-once).
public final class DeliveryDispatcher: Service, Sendable {
    private let switchboard: Switchboard
    private let sender: WebhookSender
    private let ledger = InFlightLedger()
    private let recorder: GroupCommitter<AttemptRecord, Void>
    private let requeueInFlightOnStart: Bool
    private let stopping = StopFlag()
    private let logger: Logger

    /// - Parameters:
    ///   - httpClient: the client deliveries go through; the caller owns and shuts it down.
    ///   - requeueInFlightOnStart: `true` when this node is the only one using the store, so
    ///     in-flight rows at start can only be left over from a crash.
    public init(switchboard: Switchboard, httpClient: HTTPClient, requeueInFlightOnStart: Bool = true, logger: Logger) {
        self.switchboard = switchboard
        self.sender = WebhookSender(client: httpClient, requestTimeout: switchboard.configuration.requestTimeout)
        self.requeueInFlightOnStart = requeueInFlightOnStart
        self.logger = logger
        let store = switchboard.store
        let feed = switchboard.feed
        self.recorder = GroupCommitter(maxBatchSize: 256) { records in
            let changes = try await store.recordAttempts(records)
            feed.publish(changes.map { Change.eventStatusChanged($0) })
            return records.map { _ in () }
        }
    }

    /// Deliveries being attempted right now.
    public var inFlightCount: Int { ledger.total }

    public func run() async throws {
        let configuration = switchboard.configuration
        if requeueInFlightOnStart {
            let requeued = try await switchboard.store.requeueInFlight(now: switchboard.clock.now())
            if requeued > 0 { logger.notice("requeued deliveries left in flight by an earlier run", metadata: ["count": "\(requeued)"]) }
        }
        await withDiscardingTaskGroup { group in
            group.addTask { [switchboard, stopping] in
                while !stopping.isSet {
                    do { try await Task.sleep(for: .milliseconds(Int(configuration.pollInterval * 1000))) } catch { return }
                    switchboard.wakeSignal.wake()
                }
            }
            switchboard.wakeSignal.wake()
            for await _ in switchboard.wakeSignal.wakes.cancelOnGracefulShutdown() {
                await claimAndStart(in: &group)
            }
            stopping.set()
            await drain()
            group.cancelAll()
        }
    }

    private func claimAndStart(in group: inout DiscardingTaskGroup) async {
        let configuration = switchboard.configuration
        while true {
            let capacity = configuration.maxConcurrency - ledger.total
            guard capacity > 0 else { return }
            let limit = min(configuration.claimBatchSize, capacity)
            let jobs: [DeliveryJob]
            do {
                jobs = try await switchboard.store.claimDueDeliveries(
                    ClaimRequest(
                        now: switchboard.clock.now(), limit: limit, perEndpointLimit: configuration.endpointConcurrency,
                        leaseDuration: configuration.leaseDuration,
                        excludedEndpointIDs: ledger.saturatedEndpoints()))
            } catch {
                if Task.isCancelled { return }
                logger.error("claiming due deliveries failed", metadata: ["error": "\(error)"])
                return
            }
            for job in ledger.admit(jobs) {
                group.addTask { await self.runSlot(startingWith: job) }
            }
            if jobs.count < limit { return }
        }
    }

    /// Runs `job`, then any claimed job of the same endpoint that waited for this slot.
    private func runSlot(startingWith job: DeliveryJob) async {
        var next: DeliveryJob? = job
        while let current = next {
            await deliver(current)
            next = ledger.finish(endpointID: current.endpoint.id, takeNext: !stopping.isSet && !Task.isCancelled)
        }
        switchboard.wakeSignal.wake()
    }

    private func drain() async {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(switchboard.configuration.drainTimeout * 1000)))
        if ledger.total > 0 { logger.info("draining in-flight deliveries", metadata: ["count": "\(ledger.total)"]) }
        while ledger.total > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if ledger.total > 0 { logger.warning("abandoning in-flight deliveries at shutdown; they will be retried", metadata: ["count": "\(ledger.total)"]) }
    }

    /// Sends one attempt and records it with the state it leads to.
    func deliver(_ job: DeliveryJob) async {
        let configuration = switchboard.configuration
        let clock = switchboard.clock
        let endpoint = job.endpoint
        var machine = DeliveryStateMachine(state: .inFlight, attemptCount: job.delivery.attemptCount, policy: configuration.retryPolicy)
        let number = machine.startAttempt()
        let startedAt = clock.now()
        let message = WebhookMessage.make(event: job.event, endpoint: endpoint, now: startedAt, userAgent: configuration.userAgent)
        switchboard.health.attemptStarted(endpointID: endpoint.id)
        let result = await sender.send(message, to: endpoint.url)
        if Task.isCancelled {
            switchboard.health.attemptFinished(endpointID: endpoint.id, attempt: nil)
            return
        }
        let finishedAt = clock.now()
        let action = machine.finishAttempt(result.outcome, now: finishedAt, unit: Double.random(in: 0..<1))
        var nextAttemptAt: Date?
        var endpointChange: EndpointHealthChange
        switch action {
        case .succeed:
            endpointChange = .succeeded
        case .retry(let date):
            nextAttemptAt = date
            endpointChange = .failed(at: finishedAt)
        case .fail:
            endpointChange = .failed(at: finishedAt)
        case .failAndDisableEndpoint(let reason):
            endpointChange = .disable(reason: reason, at: finishedAt)
        }
        if case .failed = endpointChange, let since = endpoint.failingSince, finishedAt.timeIntervalSince(since) >= configuration.autoDisableAfter {
            endpointChange = .disable(reason: "failing", at: finishedAt)
        }
        let attempt = Attempt(
            id: Identifier.make(.attempt, at: finishedAt), tenantID: job.delivery.tenantID, deliveryID: job.delivery.id,
            eventID: job.event.id, endpointID: endpoint.id, number: number, url: endpoint.url,
            requestHeaders: message.recordedHeaders, statusCode: result.statusCode,
            errorClass: { if case .networkError(let errorClass) = result.outcome { errorClass } else { nil } }(),
            errorMessage: result.errorMessage, responseBody: result.responseBody,
            durationMilliseconds: Int((result.duration * 1000).rounded()), createdAt: finishedAt, nextRetryAt: nextAttemptAt)
        DeliveryMetrics.recordAttempt(result.outcome)
        DeliveryMetrics.deliveryDuration.recordNanoseconds(Int64(result.duration * 1e9))
        switchboard.health.attemptFinished(endpointID: endpoint.id, attempt: attempt)
        do {
            try await recorder.submit(
                AttemptRecord(attempt: attempt, deliveryState: machine.state, nextAttemptAt: nextAttemptAt, endpointChange: endpointChange))
        } catch {
            logger.error("recording an attempt failed; the delivery will be retried when its lease lapses",
                         metadata: ["delivery": "\(job.delivery.id)", "error": "\(error)"])
            return
        }
        switchboard.feed.publish(.attemptRecorded(attempt, delivery: machine.state))
        let healthFlipped: Bool
        switch endpointChange {
        case .succeeded: healthFlipped = endpoint.failingSince != nil
        case .failed: healthFlipped = endpoint.failingSince == nil
        case .disable(let reason, _):
            healthFlipped = true
            logger.warning("endpoint disabled automatically", metadata: ["endpoint": "\(endpoint.id)", "reason": "\(reason)"])
        }
        if healthFlipped, let updated = try? await switchboard.store.endpoint(id: endpoint.id, tenant: endpoint.tenantID) {
            switchboard.feed.publish(.endpointChanged(updated))
        }
    }
}

/// A flag one task raises and another polls.
private final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isSet: Bool { raised.load(ordering: .relaxed) }
    func set() { raised.store(true, ordering: .relaxed) }
}
