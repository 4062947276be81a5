import Foundation
import SwitchboardCore
import Testing


@Suite("Usage and gauges")
struct FiguresTests {
    typealias F = StoreFixture

    @Test("usage counts a tenant's events, deliveries and attempts since a date, attempts split by 2xx", arguments: StoreKind.allCases)
    func usage(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let foreignEndpoint = try await fixture.endpoint("foreign", tenant: F.otherTenant)
            let before = try await fixture.publish(to: [endpoint], at: F.at(-10))
            let inPeriod = try await fixture.publish(to: [endpoint], at: F.at(0))
            try await fixture.publish(to: [], at: F.at(5))
            let foreign = try await fixture.publish(tenant: F.otherTenant, to: [foreignEndpoint], at: F.at(5))
            _ = try await fixture.claim(at: F.at(6))
            _ = try await fixture.store.recordAttempts([
                F.record(before.deliveries[0], status: 500, at: F.at(-5), state: .scheduled, next: F.at(7)),
                F.record(inPeriod.deliveries[0], status: 204, at: F.at(7)),
                F.record(foreign.deliveries[0], status: 200, at: F.at(7)),
            ])
            _ = try await fixture.claim(at: F.at(8))
            _ = try await fixture.store.recordAttempts([
                F.record(before.deliveries[0], number: 2, status: nil, errorClass: "connection_refused", at: F.at(8), state: .scheduled, next: F.at(20)),
            ])
            _ = try await fixture.claim(at: F.at(20))
            _ = try await fixture.store.recordAttempts([
                F.record(before.deliveries[0], number: 3, status: 302, at: F.at(20), state: .scheduled, next: F.at(40)),
            ])

            let usage = try await fixture.store.usage(tenant: F.tenant, since: F.at(0))

            #expect(usage == Usage(eventsPublished: 2, deliveries: 1, attempts: 3, successfulAttempts: 1, failedAttempts: 2))
            #expect(try await fixture.store.usage(tenant: "nobody", since: F.at(0)) == Usage())
        }
    }

    @Test("gauges count waiting, paused and in-flight deliveries and enabled, failing and disabled endpoints across tenants", arguments: StoreKind.allCases)
    func gauges(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let healthy = try await fixture.endpoint("healthy", createdAt: F.at(0))
            let failing = try await fixture.endpoint("failing", tenant: F.otherTenant, createdAt: F.at(1))
            let disabled = try await fixture.endpoint("disabled", enabled: false, createdAt: F.at(2))
            try await fixture.publish(to: [healthy, disabled], at: F.at(3))
            let second = try await fixture.publish(tenant: F.otherTenant, to: [failing], at: F.at(4))
            try await fixture.publish(to: [healthy], at: F.at(100))
            _ = try await fixture.claim(at: F.at(5))  // first → healthy, second → failing
            _ = try await fixture.store.recordAttempts([F.record(second.deliveries[0], status: 500, at: F.at(6), state: .scheduled, next: F.at(60))])

            let gauges = try await fixture.store.gauges()

            #expect(gauges == StoreGauges(
                queueDepth: 2, pausedDeliveries: 1, inFlightDeliveries: 1,
                enabledEndpoints: 2, failingEndpoints: 1, disabledEndpoints: 1))
        }
    }
}
