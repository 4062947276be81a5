import Foundation
import SwitchboardCore
import Testing


@Suite("Endpoints")
struct EndpointStoreTests {
    typealias F = StoreFixture

    @Test("an endpoint reads back exactly as inserted, secrets, headers and lists included", arguments: StoreKind.allCases)
    func roundTrip(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            var endpoint = F.makeEndpoint("orders", eventTypes: ["order.*", "invoice.paid"])
            endpoint.description = "Orders service"
            endpoint.authMode = .bearer
            endpoint.previousSecret = Secret("whsec_previous")
            endpoint.previousSecretExpiresAt = F.at(86400)
            endpoint.failingSince = F.at(-60)
            endpoint.maxConcurrency = 7
            endpoint.headers = ["X-Team": "payments", "X-Url": "https://a/b"]
            endpoint.sourceIDs = ["src_1", "src_2"]
            try await fixture.store.insertEndpoint(endpoint)

            let stored = try await fixture.store.endpoint(id: endpoint.id, tenant: F.tenant)
            #expect(stored == endpoint)
            #expect(stored?.secret.reveal() == endpoint.secret.reveal())
        }
    }

    @Test("inserting an id that is taken is a conflict naming the endpoint, even from another tenant", arguments: StoreKind.allCases)
    func conflict(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            var again = F.makeEndpoint("other", tenant: F.otherTenant)
            again.id = endpoint.id
            let error = await #expect(throws: StoreError.self) { try await fixture.store.insertEndpoint(again) }
            #expect(error?.isConflict == true)
            #expect(error?.description == "endpoint \(endpoint.id) already exists")
            #expect(try await fixture.store.endpoint(id: endpoint.id, tenant: F.tenant) == endpoint)
        }
    }

    @Test("listing is oldest first, per tenant or across tenants", arguments: StoreKind.allCases)
    func listing(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let second = try await fixture.endpoint("second", createdAt: F.at(20))
            let first = try await fixture.endpoint("first", createdAt: F.at(10))
            let foreign = try await fixture.endpoint("foreign", tenant: F.otherTenant, createdAt: F.at(15))

            #expect(try await fixture.store.endpoints(tenant: F.tenant).map(\.id) == [first.id, second.id])
            #expect(try await fixture.store.endpoints(tenant: F.otherTenant).map(\.id) == [foreign.id])
            #expect(try await fixture.store.endpoints(tenant: nil).map(\.id) == [first.id, foreign.id, second.id])
            #expect(try await fixture.store.endpoints(tenant: "nobody").isEmpty)
        }
    }

    @Test("update replaces the stored endpoint; an absent or foreign id is not found", arguments: StoreKind.allCases)
    func update(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            var endpoint = try await fixture.endpoint()
            endpoint.name = "renamed"
            endpoint.url = "https://example.org/new"
            endpoint.eventTypes = ["user.*"]
            endpoint.updatedAt = F.at(5)
            try await fixture.store.updateEndpoint(endpoint)
            #expect(try await fixture.store.endpoint(id: endpoint.id, tenant: F.tenant) == endpoint)

            var foreign = endpoint
            foreign.tenantID = F.otherTenant
            foreign.name = "hijacked"
            let error = await #expect(throws: StoreError.self) { try await fixture.store.updateEndpoint(foreign) }
            #expect(error?.isNotFound == true)
            #expect(try await fixture.store.endpoint(id: endpoint.id, tenant: F.tenant)?.name == "renamed")

            let missing = F.makeEndpoint("missing")
            await #expect(throws: StoreError.notFound("endpoint \(missing.id)")) { try await fixture.store.updateEndpoint(missing) }
        }
    }

    @Test("another tenant's endpoint id reads as absent and cannot be deleted", arguments: StoreKind.allCases)
    func tenantIsolation(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            #expect(try await fixture.store.endpoint(id: endpoint.id, tenant: F.otherTenant) == nil)
            #expect(try await fixture.store.deleteEndpoint(id: endpoint.id, tenant: F.otherTenant, at: F.at(1)) == false)
            #expect(try await fixture.store.endpoint(id: endpoint.id, tenant: F.tenant) != nil)
        }
    }

    @Test("deleting an endpoint cancels its unfinished deliveries, keeps finished ones, and settles its events", arguments: StoreKind.allCases)
    func deleteCancelsUnfinished(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let doomed = try await fixture.endpoint("doomed", createdAt: F.at(0))
            let survivor = try await fixture.endpoint("survivor", createdAt: F.at(1))
            let delivered = try await fixture.publish(to: [doomed], at: F.at(2))
            let shared = try await fixture.publish(to: [doomed, survivor], at: F.at(3))
            let inFlight = try await fixture.publish(to: [doomed], at: F.at(4))
            _ = try await fixture.store.recordAttempts([F.record(delivered.deliveries[0], at: F.at(5))])
            let claimed = try await fixture.claim(at: F.at(6), excluding: [survivor.id])
            #expect(Set(claimed.map(\.delivery.id)) == [shared.deliveries[0].id, inFlight.deliveries[0].id])
            let waiting = try await fixture.publish(to: [doomed], at: F.at(6.5))

            #expect(try await fixture.store.deleteEndpoint(id: doomed.id, tenant: F.tenant, at: F.at(7)))

            #expect(try await fixture.store.endpoint(id: doomed.id, tenant: F.tenant) == nil)
            #expect(try await fixture.state(of: delivered.deliveries[0]) == .succeeded)
            #expect(try await fixture.state(of: shared.deliveries[0]) == .cancelled)
            #expect(try await fixture.state(of: shared.deliveries[1]) == .pending, "the other endpoint's delivery is untouched")
            #expect(try await fixture.state(of: inFlight.deliveries[0]) == .cancelled)
            #expect(try await fixture.state(of: waiting.deliveries[0]) == .cancelled)
            #expect(try await fixture.status(of: shared.event) == .queued)
            #expect(try await fixture.status(of: inFlight.event) == .delivered, "nothing is left to deliver")
            let cancelled = try #require(try await fixture.store.delivery(id: inFlight.deliveries[0].id, tenant: F.tenant))
            #expect(cancelled.leaseExpiresAt == nil && cancelled.nextAttemptAt == nil && cancelled.updatedAt == F.at(7))

            // The attempt that was in flight is still recorded, and does not revive the delivery.
            _ = try await fixture.store.recordAttempts([F.record(inFlight.deliveries[0], status: 500, at: F.at(8), state: .scheduled, next: F.at(60))])
            #expect(try await fixture.state(of: inFlight.deliveries[0]) == .cancelled)
            #expect(try await fixture.store.attempts(deliveryID: inFlight.deliveries[0].id, tenant: F.tenant).count == 1)

            #expect(try await fixture.store.deleteEndpoint(id: doomed.id, tenant: F.tenant, at: F.at(9)) == false)
        }
    }
}

@Suite("Enabling and disabling endpoints")
struct EndpointStateTests {
    typealias F = StoreFixture

    @Test("disabling pauses waiting deliveries in the same transaction; enabling resumes them due now", arguments: StoreKind.allCases)
    func disableAndEnable(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let endpoint = try await fixture.endpoint()
            let published = try await fixture.publish(to: [endpoint], at: F.at(0))
            let disabled = try #require(try await fixture.store.setEndpointEnabled(id: endpoint.id, tenant: F.tenant, enabled: false, reason: "manual", at: F.at(1)))
            #expect(!disabled.enabled && disabled.disabledReason == "manual" && disabled.disabledAt == F.at(1))
            #expect(try await fixture.state(of: published.deliveries[0]) == .paused)

            let enabled = try #require(try await fixture.store.setEndpointEnabled(id: endpoint.id, tenant: F.tenant, enabled: true, reason: nil, at: F.at(2)))
            #expect(enabled.enabled && enabled.disabledReason == nil && enabled.failingSince == nil)
            let resumed = try await fixture.store.delivery(id: published.deliveries[0].id, tenant: F.tenant)
            #expect(resumed?.state == .pending && resumed?.nextAttemptAt == F.at(2))
            #expect(try await fixture.store.setEndpointEnabled(id: endpoint.id, tenant: "other", enabled: false, reason: "manual", at: F.at(3)) == nil)
        }
    }

    @Test("an edit based on an older read never re-enables an endpoint that was disabled meanwhile", arguments: StoreKind.allCases)
    func staleEditKeepsDisabled(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            var stale = try await fixture.endpoint()
            _ = try await fixture.store.setEndpointEnabled(id: stale.id, tenant: F.tenant, enabled: false, reason: "gone", at: F.at(1))
            stale.name = "renamed"
            try await fixture.store.updateEndpoint(stale)
            let stored = try #require(try await fixture.store.endpoint(id: stale.id, tenant: F.tenant))
            #expect(stored.name == "renamed")
            #expect(!stored.enabled && stored.disabledReason == "gone")
        }
    }
}
