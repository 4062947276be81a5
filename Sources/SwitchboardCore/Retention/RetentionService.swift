import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Deletes expired events, with their deliveries and attempts, in small batches.
///
/// Runs as a `Service`: a pass at start, then one every ``RetentionConfiguration/interval``.
/// Events whose deliveries are still pending, in flight, scheduled or paused are never
/// deleted, however old. Between batches it yields the write lock to delivery.
public struct RetentionService: Service {
    private let store: any Store
    private let clock: any WallClock
    private let configuration: RetentionConfiguration
    private let logger: Logger

    public init(store: any Store, clock: any WallClock, configuration: RetentionConfiguration, logger: Logger) {
        self.store = store
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                _ = try await purgeExpired()
            } catch is CancellationError {
                return
            } catch {
                logger.error("retention pass failed; trying again next interval", metadata: ["error": "\(error)"])
            }
            let interval = configuration.interval
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
            } catch {
                return
            }
        }
    }

    /// Runs one pass: deletes batches until nothing expired is left. Returns what it deleted.
    public func purgeExpired() async throws -> PurgeResult {
        var total = PurgeResult()
        let started = ContinuousClock.now
        while !Task.isCancelled {
            let batch = try await store.purgeExpiredEvents(
                PurgeRequest(now: clock.now(), defaultRetentionDays: configuration.days, limit: configuration.batchSize))
            total.events += batch.events
            total.deliveries += batch.deliveries
            total.attempts += batch.attempts
            Counter(label: "switchboard_retention_purged_events_total").increment(by: batch.events)
            guard batch.events == configuration.batchSize else { break }
            if total.events % (configuration.batchSize * 20) == 0 {
                logger.info("retention pass in progress", metadata: ["events": "\(total.events)"])
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        if total.events > 0 {
            logger.info(
                "retention pass deleted expired events",
                metadata: [
                    "events": "\(total.events)", "deliveries": "\(total.deliveries)", "attempts": "\(total.attempts)",
                    "elapsed": "\(ContinuousClock.now - started)",
                ])
        }
        return total
    }
}
