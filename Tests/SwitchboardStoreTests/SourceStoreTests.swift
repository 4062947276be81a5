import Foundation
import SwitchboardCore
import Testing


@Suite("Inbound sources in the store")
struct SourceStoreTests {
    typealias F = StoreFixture

    static func makeSource(_ name: String = "stripe", tenant: TenantID = F.tenant, retentionDays: Int? = nil, at date: Date = F.t0) -> Source {
        Source(
            id: Identifier.make(.source, at: date), tenantID: tenant, name: name, provider: .stripe,
            signingSecret: Secret("whsec_\(name)_secret"), slug: Source.makeSlug(), retentionDays: retentionDays,
            createdAt: date, updatedAt: date)
    }

    @Test("a source round-trips, is found by slug in any tenant and by id only in its own", arguments: StoreKind.allCases)
    func roundTrip(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            var source = Self.makeSource()
            source.hmacOptions = GenericHMACOptions(signatureHeader: "x-sig", encoding: .base64, eventTypeHeader: "x-type", idHeader: "x-id")
            source.previousSigningSecret = Secret("whsec_old")
            source.previousSecretExpiresAt = F.at(3600)
            try await fixture.store.insertSource(source)

            #expect(try await fixture.store.source(id: source.id, tenant: F.tenant) == source)
            #expect(try await fixture.store.source(id: source.id, tenant: F.otherTenant) == nil)
            #expect(try await fixture.store.source(slug: source.slug) == source)
            #expect(try await fixture.store.source(slug: "in_nothing") == nil)
            #expect(try await fixture.store.sources(tenant: F.otherTenant).isEmpty)
            #expect(try await fixture.store.sources(tenant: nil).map(\.id) == [source.id])
        }
    }

    @Test("a taken slug is a conflict", arguments: StoreKind.allCases)
    func slugConflict(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let first = Self.makeSource()
            try await fixture.store.insertSource(first)
            var second = Self.makeSource("other")
            second.slug = first.slug
            await #expect(throws: StoreError.self) { try await fixture.store.insertSource(second) }
        }
    }

    @Test("updating writes the configuration and never the counters; deleting removes it", arguments: StoreKind.allCases)
    func updateAndDelete(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            var source = Self.makeSource()
            try await fixture.store.insertSource(source)
            _ = try await fixture.store.recordSourceRejection(id: source.id, reason: "missing Stripe-Signature header", at: F.at(5))

            source.name = "stripe-live"
            source.retentionDays = 7
            source.rejectedCount = 0
            try await fixture.store.updateSource(source)
            let stored = try #require(try await fixture.store.source(id: source.id, tenant: F.tenant))
            #expect(stored.name == "stripe-live" && stored.retentionDays == 7)
            #expect(stored.rejectedCount == 1, "an update based on an older read must not reset the counters")

            var stranger = source
            stranger.tenantID = F.otherTenant
            await #expect(throws: StoreError.self) { try await fixture.store.updateSource(stranger) }
            #expect(try await fixture.store.deleteSource(id: source.id, tenant: F.otherTenant) == false)
            #expect(try await fixture.store.deleteSource(id: source.id, tenant: F.tenant))
            #expect(try await fixture.store.source(slug: source.slug) == nil)
        }
    }

    @Test("rejections are counted with the last reason and time", arguments: StoreKind.allCases)
    func rejections(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let source = Self.makeSource()
            try await fixture.store.insertSource(source)
            _ = try await fixture.store.recordSourceRejection(id: source.id, reason: "first", at: F.at(1))
            let after = try await fixture.store.recordSourceRejection(id: source.id, reason: "timestamp is 900 s away", at: F.at(2))
            #expect(after?.rejectedCount == 2)
            #expect(after?.lastRejectionReason == "timestamp is 900 s away")
            #expect(after?.lastRejectedAt == F.at(2))
            #expect(try await fixture.store.recordSourceRejection(id: "src_missing", reason: "x", at: F.at(3)) == nil)
        }
    }

    @Test("an inserted source event counts as received, keeps its forwarded headers and lists by source; a duplicate does not count", arguments: StoreKind.allCases)
    func sourceEvents(_ kind: StoreKind) async throws {
        try await F.with(kind) { fixture in
            let source = Self.makeSource()
            try await fixture.store.insertSource(source)
            let endpoint = try await fixture.endpoint()
            var item = F.newEvent("charge.succeeded", to: [endpoint], at: F.at(10), idempotencyKey: "\(source.id):evt_1")
            item.event.origin = .source
            item.event.sourceID = source.id
            item.event.sourceHeaders = ["stripe-signature": "t=1,v1=ab"]
            item.idempotencyWindowStart = F.at(-86400)
            _ = try await fixture.store.insertEvents([item])
            var again = item
            again.event.id = Identifier.make(.event, at: F.at(11))
            let outcomes = try await fixture.store.insertEvents([again])
            guard case .duplicate(let original, _) = try #require(outcomes.first) else {
                Issue.record("expected a duplicate, got \(outcomes)")
                return
            }
            #expect(original.id == item.event.id)
            _ = try await fixture.publish(to: [endpoint], at: F.at(12))

            let stored = try #require(try await fixture.store.source(id: source.id, tenant: F.tenant))
            #expect(stored.eventsReceived == 1)
            #expect(stored.lastReceivedAt == F.at(10))
            let page = try await fixture.store.events(EventQuery(tenant: F.tenant, sourceID: source.id))
            #expect(page.items.map(\.id) == [item.event.id] && page.total == 1)
            #expect(page.items.first?.sourceHeaders == ["stripe-signature": "t=1,v1=ab"])
        }
    }
}
