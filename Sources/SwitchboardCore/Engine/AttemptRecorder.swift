import Foundation
import Logging
import Synchronization

/// Writes finished attempts to the store in batches, so a delivery slot hands its outcome
/// over and sends its next delivery at once instead of waiting for a commit.
///
/// Everything submitted while a commit runs goes into the next one (group commit). The
/// buffer is bounded: when the store falls behind by ``capacity`` records, `submit` waits,
/// which slows the senders rather than growing memory. Until a record is committed its
/// delivery stays `in_flight` under its lease, so a crash before the commit means the
/// delivery is sent again (at-least-once), never lost. After each commit the recorder
/// announces the stored attempts, event status changes and endpoint health flips on the
/// change feed.
final class AttemptRecorder: Sendable {
    /// A record and whether its attempt flips its endpoint's health (failing ↔ healthy).
    struct Entry: Sendable {
        var record: AttemptRecord
        var flipsEndpointHealth: Bool
    }

    private struct State {
        var buffer: [Entry] = []
        var consumer: CheckedContinuation<Void, Never>?
        var blockedProducers: [CheckedContinuation<Void, Never>] = []
        var closed = false
    }

    let capacity: Int
    private let maxBatch: Int
    private let state = Mutex(State())
    private let store: any Store
    private let feed: ChangeFeed
    private let logger: Logger
    /// Called after each commit (the dispatcher claims again when the store counts
    /// unrecorded sends against an endpoint's room).
    private let committed: @Sendable () -> Void

    init(
        store: any Store, feed: ChangeFeed, capacity: Int = 8192, maxBatch: Int = 1024, logger: Logger,
        committed: @escaping @Sendable () -> Void = {}
    ) {
        self.store = store
        self.feed = feed
        self.committed = committed
        self.capacity = capacity
        self.maxBatch = maxBatch
        self.logger = logger
    }

    /// Queues `entry` for the next commit; waits only while the buffer is full.
    func submit(_ entry: Entry) async {
        let mustWait = state.withLock { state -> Bool in
            state.buffer.append(entry)
            state.consumer?.resume()
            state.consumer = nil
            return state.buffer.count > capacity && !state.closed
        }
        guard mustWait else { return }
        await withCheckedContinuation { continuation in
            let stillFull = state.withLock { state -> Bool in
                guard state.buffer.count > capacity, !state.closed else { return false }
                state.blockedProducers.append(continuation)
                return true
            }
            if !stillFull { continuation.resume() }
        }
    }

    /// Commits what is submitted until ``close()`` is called and the buffer is empty.
    func run() async {
        while let batch = await nextBatch() {
            await commit(batch)
        }
    }

    /// No more submissions: `run` returns once everything queued is committed.
    func close() {
        state.withLock { state in
            state.closed = true
            state.consumer?.resume()
            state.consumer = nil
        }
    }

    private func nextBatch() async -> [Entry]? {
        while true {
            let taken = state.withLock { state -> (batch: [Entry], finished: Bool) in
                guard !state.buffer.isEmpty else { return ([], state.closed) }
                let count = min(maxBatch, state.buffer.count)
                let batch = Array(state.buffer.prefix(count))
                state.buffer.removeFirst(count)
                if state.buffer.count <= capacity {
                    for producer in state.blockedProducers { producer.resume() }
                    state.blockedProducers = []
                }
                return (batch, false)
            }
            if !taken.batch.isEmpty { return taken.batch }
            if taken.finished { return nil }
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if !state.buffer.isEmpty || state.closed { return true }
                    state.consumer = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Writes a batch, retrying a failing store a few times: a lost batch costs each of its
    /// deliveries a lease's wait before it is sent again.
    private func commit(_ batch: [Entry]) async {
        let records = batch.map(\.record)
        var recording: AttemptRecording?
        for (attempt, pause) in [0.05, 0.25, 1.0, 0].enumerated() {
            do {
                recording = try await store.recordAttempts(records)
                break
            } catch {
                logger.error(
                    "recording attempts failed", metadata: ["attempts": "\(records.count)", "try": "\(attempt + 1)", "error": "\(error)"])
                if pause > 0 { try? await Task.sleep(for: .milliseconds(Int(pause * 1000))) }
            }
        }
        guard let recording else {
            logger.error("attempts not recorded; their deliveries are sent again when their leases lapse", metadata: ["attempts": "\(records.count)"])
            return
        }
        committed()
        var changes: [Change] = []
        changes.reserveCapacity(recording.attempts.count + recording.eventStatusChanges.count)
        for (attempt, state) in zip(recording.attempts, recording.deliveryStates) {
            changes.append(.attemptRecorded(attempt, delivery: state ?? .inFlight))
            if attempt.superseded {
                logger.warning(
                    "a send outlived its lease; its attempt is kept as superseded and changed nothing",
                    metadata: ["delivery": "\(attempt.deliveryID)", "attempt": "\(attempt.number)"])
            }
        }
        changes += recording.eventStatusChanges.map { Change.eventStatusChanged($0) }
        feed.publish(changes)
        await announceHealthFlips(batch)
    }

    private func announceHealthFlips(_ batch: [Entry]) async {
        var flipped: [(id: String, tenant: TenantID)] = []
        var seen = Set<String>()
        for entry in batch where entry.flipsEndpointHealth && seen.insert(entry.record.attempt.endpointID).inserted {
            flipped.append((entry.record.attempt.endpointID, entry.record.attempt.tenantID))
        }
        for endpoint in flipped {
            if let updated = try? await store.endpoint(id: endpoint.id, tenant: endpoint.tenant) {
                feed.publish(.endpointChanged(updated))
            }
        }
    }
}
