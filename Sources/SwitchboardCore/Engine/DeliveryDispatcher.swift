import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Claims due deliveries in batches, sends them and records each attempt: the delivery engine.
///
/// Runs as a `Service`. It wakes when an event is published, an operator requeues something
/// or an endpoint's claimed deliveries run low, and otherwise every
/// ``DispatcherConfiguration/pollInterval`` to pick up due retries and lapsed leases. When
/// the store allows it, a publish batch claims its endpoints' due deliveries and hands them to
/// it (``DeliveryHandoff``), so they are sent without a claim round of its own.
///
/// Each endpoint has its own slots (its `max_concurrency`), so a slow or hanging endpoint
/// only ever holds its own; the global limit is sized in the thousands because a slot is a
/// cheap task waiting on a socket. A slot hands its outcome to the ``AttemptRecorder`` and
/// sends its endpoint's next claimed delivery at once; the recorder group-commits.
///
/// On graceful shutdown it stops claiming, lets in-flight deliveries finish for at most
/// ``DispatcherConfiguration/drainTimeout``, hands unsent claims back, commits what was
/// recorded, then cancels the rest: their leases lapse and they are attempted again
/// (at-least-once).
public final class DeliveryDispatcher: Service, Sendable {
    private let switchboard: Switchboard
    private let transport: any DeliveryTransport
    private let ledger: InFlightLedger
    private let pacer = EndpointPacer()
    private let recorder: AttemptRecorder
    private let requeueInFlightOnStart: Bool
    private let stopping = StopFlag()
    private let logger: Logger
    /// The destination policy's verdict per endpoint URL: an endpoint created under `--dev`
    /// must not reach a private network after a restart without it.
    private let destinationVerdicts = Mutex<[String: String?]>([:])

    /// - Parameters:
    ///   - transport: how attempts are sent; the caller owns it and shuts it down.
    ///   - requeueInFlightOnStart: `true` when this node is the only one using the store, so
    ///     in-flight rows at start can only be left over from a crash.
    public init(switchboard: Switchboard, transport: any DeliveryTransport, requeueInFlightOnStart: Bool = true, logger: Logger) {
        self.switchboard = switchboard
        self.transport = transport
        self.requeueInFlightOnStart = requeueInFlightOnStart
        self.logger = logger
        self.ledger = InFlightLedger(tracksBacklogs: switchboard.store.claimsInPublish)
        // A store that counts sent-but-unrecorded deliveries against their endpoint's room
        // (PostgreSQL) has room again once the records commit: claim then, not at the next poll.
        let signal = switchboard.wakeSignal
        let claimsAfterCommit = switchboard.store.claimsWaitForRecords
        let wake: @Sendable () -> Void = { if claimsAfterCommit { signal.wake(.claim) } }
        self.recorder = AttemptRecorder(store: switchboard.store, feed: switchboard.feed, logger: logger, committed: wake)
    }

    /// Deliveries being attempted right now.
    public var inFlightCount: Int { ledger.running }

    public func run() async throws {
        let configuration = switchboard.configuration
        if requeueInFlightOnStart {
            let requeued = try await switchboard.store.requeueInFlight(now: switchboard.clock.now())
            if requeued > 0 { logger.notice("requeued deliveries left in flight by an earlier run", metadata: ["count": "\(requeued)"]) }
        }
        async let recording: Void = recorder.run()
        if switchboard.store.claimsInPublish {
            switchboard.handoff.open(ledger: ledger, maxHeld: configuration.maxConcurrency * 2, leaseDuration: configuration.leaseDuration)
        }
        await withDiscardingTaskGroup { group in
            // The poll finds retries come due and lapsed leases anywhere: until its claim round,
            // no endpoint counts as caught up.
            group.addTask { [switchboard, stopping, ledger] in
                while !stopping.isSet {
                    do { try await Task.sleep(for: .milliseconds(Int(configuration.pollInterval * 1000))) } catch { return }
                    ledger.forgetBacklogs()
                    switchboard.wakeSignal.wake(.claim)
                }
            }
            switchboard.wakeSignal.wake(.claim)
            for await _ in switchboard.wakeSignal.wakes.cancelOnGracefulShutdown() {
                await startHandedOver(in: &group)
                if switchboard.wakeSignal.takeClaimRequest() { await claimAndStart(in: &group) }
            }
            stopping.set()
            await release(switchboard.handoff.close())
            await drain()
            group.cancelAll()
        }
        recorder.close()
        await recording
    }

    /// Starts the jobs publishes handed over since the last wake.
    private func startHandedOver(in group: inout DiscardingTaskGroup) async {
        let jobs = switchboard.handoff.takeJobs()
        guard !jobs.isEmpty else { return }
        let admitted = ledger.adoptHandoff(jobs)
        for job in admitted.start {
            group.addTask { await self.runSlot(startingWith: job) }
        }
        await release(admitted.release)
    }

    private func claimAndStart(in group: inout DiscardingTaskGroup) async {
        let configuration = switchboard.configuration
        while !stopping.isSet {
            let capacity = configuration.maxConcurrency * 2 - ledger.held
            guard capacity > 0 else { return }
            let limit = min(configuration.claimBatchSize, capacity)
            let excluded = ledger.saturatedEndpoints()
            let round = ledger.beginClaim()
            let jobs: [DeliveryJob]
            do {
                jobs = try await switchboard.store.claimDueDeliveries(
                    ClaimRequest(
                        now: switchboard.clock.now(), limit: limit, perEndpointLimit: Self.claimDepthPerEndpoint,
                        leaseDuration: configuration.leaseDuration, excludedEndpointIDs: excluded))
            } catch {
                if Task.isCancelled { return }
                logger.error("claiming due deliveries failed", metadata: ["error": "\(error)"])
                return
            }
            let admitted = ledger.admitClaim(
                jobs, round: round, excluded: excluded, complete: jobs.count < limit, perEndpointLimit: Self.claimDepthPerEndpoint)
            for job in admitted.start {
                group.addTask { await self.runSlot(startingWith: job) }
            }
            await release(admitted.release)
            if jobs.count < limit { return }
        }
    }

    /// Most deliveries of one endpoint taken in one claim; the ledger keeps what the endpoint
    /// may hold and hands the rest back.
    static let claimDepthPerEndpoint = 128

    /// Sends `job`, then the endpoint's next claimed job, while there is one.
    private func runSlot(startingWith job: DeliveryJob) async {
        var next: DeliveryJob? = job
        while let current = next {
            if let rate = current.endpoint.rateLimitPerSecond {
                let wait = await paceWait(endpointID: current.endpoint.id, perSecond: rate)
                if wait > .zero { try? await Task.sleep(for: wait) }
            }
            let finished = await deliver(current)
            let continuing = !stopping.isSet && !Task.isCancelled
            let now = switchboard.clock.now()
            let minimumLease = switchboard.configuration.requestTimeout + switchboard.configuration.leaseMargin
            let step = ledger.finish(endpointID: current.endpoint.id, finished, takeNext: continuing) { candidate in
                (candidate.delivery.leaseExpiresAt ?? .distantPast).timeIntervalSince(now) >= minimumLease
            }
            await release(step.release)
            next = step.next
            if step.wantsMore || !step.release.isEmpty { switchboard.wakeSignal.wake(.claim) }
        }
    }

    /// How long to wait before the next send to a rate-limited endpoint: on the schedule the
    /// store keeps for every node sharing it, or this process's own when the store keeps none
    /// (or cannot be reached for it, so a send is never held back by the pace alone).
    private func paceWait(endpointID: String, perSecond rate: Int) async -> Duration {
        let now = switchboard.clock.now()
        do {
            if let start = try await switchboard.store.reserveSendStart(endpointID: endpointID, perSecond: rate, now: now) {
                return .milliseconds(Int64(max(0, start.timeIntervalSince(now)) * 1000))
            }
        } catch {
            logger.warning("the shared send pace could not be reserved; pacing this node alone", metadata: ["endpoint": "\(endpointID)", "error": "\(error)"])
        }
        return pacer.reserve(endpointID: endpointID, perSecond: rate)
    }

    /// Hands claimed, unsent jobs back to the store so they are due again now, for a claim.
    private func release(_ jobs: [DeliveryJob]) async {
        let releases = jobs.compactMap(ClaimRelease.init)
        guard !releases.isEmpty else { return }
        do {
            try await switchboard.store.releaseClaims(releases, at: switchboard.clock.now())
        } catch {
            logger.warning("handing back claimed deliveries failed; they are retried when their leases lapse", metadata: ["error": "\(error)"])
        }
        ledger.noteBacklog(Set(jobs.map(\.endpoint.id)))
    }

    private func drain() async {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(switchboard.configuration.drainTimeout * 1000)))
        if ledger.running > 0 { logger.info("draining in-flight deliveries", metadata: ["count": "\(ledger.running)"]) }
        while ledger.running > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if ledger.running > 0 {
            logger.warning("abandoning in-flight deliveries at shutdown; they will be retried", metadata: ["count": "\(ledger.running)"])
        }
    }

    /// Sends one attempt and hands its record to the recorder; `nil` when cancelled mid-send.
    func deliver(_ job: DeliveryJob) async -> InFlightLedger.Finished? {
        let configuration = switchboard.configuration
        let clock = switchboard.clock
        let endpoint = job.endpoint
        var machine = DeliveryStateMachine(state: .inFlight, attemptCount: job.delivery.attemptCount, policy: configuration.retryPolicy)
        let number = machine.startAttempt()
        let startedAt = clock.now()
        let message = WebhookMessage.make(event: job.event, endpoint: endpoint, now: startedAt, userAgent: configuration.userAgent)
        switchboard.health.attemptStarted(endpointID: endpoint.id)
        let response: TransportResponse
        if let refusal = destinationRefusal(endpoint.url) {
            response = .failure(TransportErrorClass.blockedAddress, "url \(refusal)", duration: 0)
        } else {
            response = await transport.send(
                TransportRequest(
                    endpointID: endpoint.id, url: endpoint.url, message: message, maxConnections: max(1, endpoint.maxConcurrency),
                    timeout: configuration.requestTimeout))
        }
        if Task.isCancelled {
            switchboard.health.attemptFinished(endpointID: endpoint.id, attempt: nil)
            return nil
        }
        let finishedAt = clock.now()
        let outcome = Self.outcome(of: response, now: finishedAt)
        let action = machine.finishAttempt(outcome, now: finishedAt, unit: RandomBytes.unitInterval())
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
        var throttleUntil: Date?
        if case .response(let code, let retryAfter?) = outcome, code == 429 || code == 503 {
            throttleUntil = finishedAt.addingTimeInterval(configuration.retryPolicy.clampRetryAfter(retryAfter))
        }
        let attempt = Attempt(
            id: Identifier.make(.attempt, at: finishedAt), tenantID: job.delivery.tenantID, deliveryID: job.delivery.id,
            eventID: job.event.id, endpointID: endpoint.id, number: number, url: endpoint.url,
            requestHeaders: message.recordedHeaders, statusCode: response.statusCode, errorClass: Self.errorClass(of: response),
            errorMessage: Self.errorMessage(of: response),
            responseBody: response.responseBody.map { String(decoding: $0, as: UTF8.self) },
            durationMilliseconds: Int((response.duration * 1000).rounded()), createdAt: finishedAt, nextRetryAt: nextAttemptAt,
            node: configuration.nodeID)
        DeliveryMetrics.recordAttempt(outcome)
        DeliveryMetrics.deliveryDuration.recordNanoseconds(Int64(response.duration * 1e9))
        switchboard.health.attemptFinished(endpointID: endpoint.id, attempt: attempt)
        let flipsHealth: Bool
        switch endpointChange {
        case .succeeded: flipsHealth = endpoint.failingSince != nil
        case .failed: flipsHealth = endpoint.failingSince == nil
        case .disable(let reason, _):
            flipsHealth = true
            logger.warning("endpoint disabled automatically", metadata: ["endpoint": "\(endpoint.id)", "reason": "\(reason)"])
        }
        await recorder.submit(
            AttemptRecorder.Entry(
                record: AttemptRecord(
                    attempt: attempt, leaseToken: job.delivery.leaseToken, deliveryState: machine.state, nextAttemptAt: nextAttemptAt,
                    endpointChange: endpointChange, throttleEndpointUntil: throttleUntil),
                flipsEndpointHealth: flipsHealth))
        return InFlightLedger.Finished(duration: response.duration, succeeded: outcome.isSuccess, throttled: throttleUntil != nil)
    }

    private func destinationRefusal(_ url: String) -> String? {
        if let known = destinationVerdicts.withLock({ $0[url] }) { return known }
        let verdict = switchboard.configuration.destinations.refusal(forURL: url)
        destinationVerdicts.withLock { verdicts in
            if verdicts.count > 10_000 { verdicts.removeAll() }
            verdicts[url] = .some(verdict)
        }
        return verdict
    }

    /// The state machine's input: a complete response, or a network error (a response cut
    /// short, by the deadline or the receiver, counts as an error).
    static func outcome(of response: TransportResponse, now: Date) -> AttemptOutcome {
        if let errorClass = response.errorClass { return .networkError(errorClass: errorClass) }
        let code = response.statusCode ?? 0
        return .response(statusCode: code, retryAfter: response.retryAfter.flatMap { RetryAfter.delay($0, now: now) })
    }

    static func errorClass(of response: TransportResponse) -> String? {
        if let errorClass = response.errorClass { return errorClass }
        if let code = response.statusCode, (300..<400).contains(code) { return "redirect" }
        return nil
    }

    static func errorMessage(of response: TransportResponse) -> String? {
        if let message = response.errorMessage { return message }
        if let code = response.statusCode, (300..<400).contains(code) {
            return "redirect not followed" + (response.location.map { " (Location: \(String($0.prefix(500))))" } ?? "")
        }
        return nil
    }
}

/// A flag one task raises and another polls.
private final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isSet: Bool { raised.load(ordering: .relaxed) }
    func set() { raised.store(true, ordering: .relaxed) }
}

