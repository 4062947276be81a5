import Foundation
import Testing
@testable import SwitchboardCore

@Suite("A slow tenant never delays another")
struct EngineIsolationTests {
    @Test("64 hanging endpoints of tenant A hold only their own slots: tenant B's deliveries arrive long before A's 20 s deadline")
    func hangingTenantDoesNotDelayAnother() async throws {
        var configuration = DispatcherConfiguration(requestTimeout: 20, pollInterval: 0.02, drainTimeout: 1, destinations: .development)
        configuration.retryPolicy = RetryPolicy(schedule: [0, 60], jitter: 0)
        try await DispatchHarness.with(configuration: configuration) { harness in
            let tenantA: TenantID = "tenant-a"
            let tenantB: TenantID = "tenant-b"
            for index in 0..<64 {
                _ = try await harness.switchboard.createEndpoint(
                    EndpointDraft(name: "hanging-\(index)", url: harness.receiver.url("/hang"), eventTypes: ["slow.*"]), tenant: tenantA)
            }
            for _ in 0..<6 {
                _ = try await harness.switchboard.publish(PublishRequest(tenantID: tenantA, eventType: "slow.tick", payload: Data("{}".utf8)))
            }
            try await harness.receiver.waitForRequests(64 * 4, on: "/hang", timeout: 15)
            #expect(harness.receiver.requests(to: "/hang").count == 64 * 4, "each hanging endpoint holds its own 4 slots, no more")

            _ = try await harness.switchboard.createEndpoint(EndpointDraft(name: "healthy", url: harness.receiver.url("/ok")), tenant: tenantB)
            var worst = Duration.zero
            for index in 0..<10 {
                let started = ContinuousClock.now
                _ = try await harness.switchboard.publish(PublishRequest(tenantID: tenantB, eventType: "fast.tick", payload: Data("{}".utf8)))
                try await harness.receiver.waitForRequests(index + 1, on: "/ok", timeout: 5)
                worst = max(worst, started.duration(to: .now))
            }
            #expect(worst < .seconds(5), "tenant B waited \(worst) behind tenant A's hanging endpoints")
        }
    }
}
