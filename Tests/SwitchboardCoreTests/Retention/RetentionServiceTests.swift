import Foundation
import Logging
import SwitchboardCore
import Testing

@Suite("Retention service")
struct RetentionServiceTests {
    static let day: TimeInterval = 86400

    @Test("with the injected clock: nothing expires early; after the retention, finished events go in batches, unfinished ones stay")
    func purgesByTheClock() async throws {
        try await DispatchHarness.with { harness in
            let endpoint = try await harness.endpoint("/ok")
            var delivered: [String] = []
            for _ in 0..<5 {
                let result = try await harness.publish()
                delivered.append(result.event.id)
                try await harness.waitForDelivery(try #require(result.deliveries.first).id, toBe: .succeeded)
            }
            _ = try await harness.switchboard.disableEndpoint(id: endpoint.id, tenant: .defaultTenant)
            let held = try await harness.publish()
            #expect(held.deliveries.first?.state == .paused)

            let service = RetentionService(
                store: harness.store, clock: harness.clock, configuration: RetentionConfiguration(days: 30, batchSize: 2),
                logger: Logger(label: "retention-test"))
            harness.clock.advance(by: 29 * Self.day)
            #expect(try await service.purgeExpired() == PurgeResult())

            harness.clock.advance(by: 2 * Self.day)
            let purged = try await service.purgeExpired()
            #expect(purged == PurgeResult(events: 5, deliveries: 5, attempts: 5))
            for id in delivered {
                await #expect(throws: SwitchboardError.self) { try await harness.switchboard.event(id: id, tenant: .defaultTenant) }
            }
            #expect(try await harness.switchboard.event(id: held.event.id, tenant: .defaultTenant).status == .queued)
        }
    }

    @Test("the service runs a pass at start and stops when cancelled")
    func runsAndStops() async throws {
        try await DispatchHarness.with { harness in
            _ = try await harness.publish()
            harness.clock.advance(by: 31 * Self.day)
            let service = RetentionService(
                store: harness.store, clock: harness.clock, configuration: RetentionConfiguration(days: 30, interval: 3600),
                logger: Logger(label: "retention-test"))
            let running = Task { try await service.run() }
            try await harness.waitUntil("the first pass to delete the expired event") {
                try await harness.switchboard.events(EventQuery(tenant: .defaultTenant)).total == 0
            }
            running.cancel()
            try await running.value
        }
    }
}
