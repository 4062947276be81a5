import Foundation
import PostgresNIO
import SwitchboardCore
import Testing

@testable import SwitchboardPostgres

/// What only a shared store must guarantee: several stores (nodes) on one database at once.
@Suite("PostgreSQL store shared by several nodes")
struct PostgresClusterTests {
    typealias F = StoreFixture

    /// `count` more stores on the fixture's schema, as other nodes would open it.
    private func nodes(_ fixture: StoreFixture, _ count: Int) async throws -> [PostgresStore] {
        var stores: [PostgresStore] = []
        for _ in 0..<count {
            stores.append(try await PostgresStore(configuration: try #require(fixture.postgres), sealer: .testing, logger: F.quietLogger))
        }
        return stores
    }

    @Test("five nodes opening an empty schema at once migrate it once")
    func concurrentMigration() async throws {
        let configuration = try F.postgresConfiguration()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<5 {
                group.addTask { try await PostgresStore(configuration: configuration, sealer: .testing, logger: F.quietLogger) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let rows = try await stores[0].rows("SELECT version, COUNT(*) OVER () FROM schema_migrations")
        #expect(rows.count == PostgresStore.migrations.count)
        try await stores[0].rows(PostgresQuery(unsafeSQL: "DROP SCHEMA \"\(configuration.schema!)\" CASCADE"))
        for store in stores { await store.close() }
    }

    @Test("two nodes receiving the same idempotency key at once create one event")
    func idempotencyAcrossNodes() async throws {
        try await F.with(.postgres) { fixture in
            let endpoint = try await fixture.endpoint()
            let others = try await nodes(fixture, 3)
            let stores: [any Store] = [fixture.store] + others
            for round in 0..<10 {
                let key = "order-\(round)"
                let outcomes = try await withThrowingTaskGroup(of: InsertOutcome.self) { group in
                    for store in stores {
                        let item = F.newEvent(to: [endpoint], at: F.at(Double(round)), idempotencyKey: key, requestHash: "h")
                        group.addTask { try await store.insertEvents([item])[0] }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let inserted = outcomes.filter { if case .inserted = $0 { true } else { false } }
                let duplicates = outcomes.filter { if case .duplicate = $0 { true } else { false } }
                #expect(inserted.count == 1 && duplicates.count == stores.count - 1, "\(outcomes)")
            }
            #expect(try await fixture.store.events(EventQuery(tenant: F.tenant)).total == 10)
            for store in others { await store.close() }
        }
    }

    @Test("an endpoint's max_concurrency holds across nodes claiming at once; each claim has its own token")
    func concurrencyCapAcrossNodes() async throws {
        try await F.with(.postgres) { fixture in
            let endpoint = try await fixture.endpoint(maxConcurrency: 3)
            for second in 0..<40 { try await fixture.publish(to: [endpoint], at: F.at(Double(second))) }
            let others = try await nodes(fixture, 3)
            let stores: [any Store] = [fixture.store] + others
            // Claims of at most the endpoint's slots each: without read-ahead, the cap is on rows.
            let request = ClaimRequest(now: F.at(100), limit: 10, perEndpointLimit: 3, leaseDuration: 60)
            let byNode = try await withThrowingTaskGroup(of: [DeliveryJob].self) { group in
                for store in stores {
                    group.addTask {
                        var jobs: [DeliveryJob] = []
                        for _ in 0..<5 { jobs += try await store.claimDueDeliveries(request) }
                        return jobs
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let claimed = byNode.flatMap { $0 }
            #expect(Set(claimed.map(\.delivery.id)).count == claimed.count, "no delivery claimed twice")
            // One node claimed ahead alone (its dispatcher sends 3 at a time), or the nodes
            // that share the endpoint hold 3 leases between them at most.
            let holders = byNode.filter { !$0.isEmpty }.count
            #expect(holders == 1 || claimed.count <= 3, "\(holders) nodes hold \(claimed.count) leases of a 3-slot endpoint")
            let stored = try await fixture.store.gauges().inFlightDeliveries
            #expect(stored == claimed.count)

            // When the leases lapse, another node takes them over under new tokens.
            let later = ClaimRequest(now: F.at(161), limit: 100, perEndpointLimit: 100, leaseDuration: 60)
            let takenOver = try await others[0].claimDueDeliveries(later)
            #expect(takenOver.count == 40)
            #expect(Set(takenOver.compactMap(\.delivery.leaseToken)).isDisjoint(with: claimed.compactMap(\.delivery.leaseToken)))
            for store in others { await store.close() }
        }
    }

    @Test("only an endpoint's sole lease holder claims past max_concurrency; with two holders the leases stay within it")
    func readAheadOnlyForTheSoleHolder() async throws {
        try await F.with(.postgres) { fixture in
            let endpoint = try await fixture.endpoint(maxConcurrency: 3)
            for second in 0..<40 { try await fixture.publish(to: [endpoint], at: F.at(Double(second))) }
            let others = try await nodes(fixture, 1)
            let (a, b) = (fixture.store, others[0])
            func claim(_ store: any Store, depth: Int) async throws -> [DeliveryJob] {
                try await store.claimDueDeliveries(ClaimRequest(now: F.at(100), limit: 100, perEndpointLimit: depth, leaseDuration: 60))
            }
            // A holds nothing of it yet: it claims ahead, and again while it is the only holder.
            #expect(try await claim(a, depth: 8).count == 8)
            #expect(try await claim(a, depth: 8).count == 8)
            // B finds A's leases: no room (16 held, 3 allowed) — A's dispatcher sends 3 at a time.
            #expect(try await claim(b, depth: 8).isEmpty)
            #expect(try await fixture.store.gauges().inFlightDeliveries == 16)

            // With A down to 1 lease, B gets the rest of the 3 slots, not more; then neither gets any.
            let held = try await b.rows("SELECT id, lease_token FROM deliveries WHERE state = 'in_flight' ORDER BY seq")
            let releases = try held.dropFirst().map { row in
                let (id, token) = try row.decode((String, Int64).self)
                return ClaimRelease(deliveryID: id, leaseToken: token)
            }
            try await a.releaseClaims(releases, at: F.at(99))
            #expect(try await claim(b, depth: 8).count == 2)
            #expect(try await claim(a, depth: 8).isEmpty)
            #expect(try await claim(b, depth: 8).isEmpty)
            #expect(try await fixture.store.gauges().inFlightDeliveries == 3)
            for store in others { await store.close() }
        }
    }

    @Test("five nodes creating the first admin key at once on an empty database create one")
    func firstAdminKeyAcrossNodes() async throws {
        try await F.with(.postgres) { fixture in
            let others = try await nodes(fixture, 4)
            let stores: [any Store] = [fixture.store] + others
            for round in 0..<5 {
                let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for (index, store) in stores.enumerated() {
                        let key = APIKeyStoreTests.key("sbk_round\(round)_node\(index)", tenant: "default", scopes: [.admin], at: Double(round))
                        group.addTask { try await store.insertFirstAdminKey(key) }
                    }
                    return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                }
                #expect(created == 1, "round \(round): \(created) nodes created a first admin key")
                #expect(try await fixture.store.activeAdminKeyCount() == 1)
                for key in try await fixture.store.apiKeys(tenant: nil) where key.revokedAt == nil {
                    _ = try await fixture.store.revokeAPIKey(id: key.id, tenant: nil, at: F.at(Double(round) + 0.5))
                }
            }
            for store in others { await store.close() }
        }
    }

    @Test("nodes sending to one rate-limited endpoint share one schedule: starts 1 / rate apart, idle time not banked")
    func sendPaceAcrossNodes() async throws {
        try await F.with(.postgres) { fixture in
            let endpoint = try await fixture.endpoint()
            let others = try await nodes(fixture, 2)
            let stores: [any Store] = [fixture.store] + others
            var starts: [Double] = []
            for index in 0..<6 {
                let start = try await stores[index % stores.count].reserveSendStart(endpointID: endpoint.id, perSecond: 4, now: F.at(100))
                starts.append(try #require(start).timeIntervalSince(F.at(100)))
            }
            #expect(starts == [0, 0.25, 0.5, 0.75, 1, 1.25], "\(starts)")
            let afterIdle = try await others[1].reserveSendStart(endpointID: endpoint.id, perSecond: 4, now: F.at(200))
            #expect(afterIdle == F.at(200))
            let other = try await fixture.endpoint("other")
            #expect(try await others[0].reserveSendStart(endpointID: other.id, perSecond: 4, now: F.at(100)) == F.at(100))
            for store in others { await store.close() }
        }
    }

    @Test("a change row that commits after a higher id is still read by the tail, once")
    func lateChangeRow() async throws {
        try await F.with(.postgres) { fixture in
            let store = try #require(fixture.store as? PostgresStore)
            let other = try await nodes(fixture, 1)[0]
            var tail = ChangeTail(cursor: try await store.latestChangeID())
            let (inserted, insertedID) = AsyncStream<Int64>.makeStream()
            let (commit, commitNow) = AsyncStream<Void>.makeStream()
            let slow = Task {
                try await other.transaction { connection in
                    let id = try await connection.rows(
                        "INSERT INTO changes (node, kind, tenant_id, subject, created_at) VALUES ('slow', 'event', 'default', 'evt_late', 0) RETURNING id",
                        F.quietLogger
                    ).first!.decode(Int64.self)
                    insertedID.yield(id)
                    for await _ in commit { break }
                }
            }
            var ids = inserted.makeAsyncIterator()
            let lateID = try #require(await ids.next())
            try await store.appendChanges([ChangeReference(kind: "event", tenantID: "default", subject: "evt_early")], node: "fast")

            let first = try await store.changes(after: tail.cursor, limit: 100, also: tail.missing)
            let fresh = tail.accept(first.map(\.id), at: .now)
            #expect(first.map(\.reference.subject) == ["evt_early"])
            #expect(tail.missing == [lateID], "the uncommitted row's id is remembered")

            commitNow.yield()
            try await slow.value
            let second = try await store.changes(after: tail.cursor, limit: 100, also: tail.missing)
            #expect(tail.accept(second.map(\.id), at: .now) == [lateID])
            #expect(second.map(\.reference.subject) == ["evt_late"])
            #expect(tail.missing.isEmpty)
            #expect(fresh.count == 1)
            await other.close()
        }
    }

    @Test("a wrong password or an unreachable server fails with the redacted URL, never the password")
    func passwordNeverShown() async throws {
        let url = try #require(ProcessInfo.processInfo.environment[StoreKind.postgresURLVariable], "\(StoreKind.postgresURLVariable) is not set")
        var configuration = try PostgresStoreConfiguration(url: url)
        configuration.password = "hunter2-secret"
        configuration.username = "nobody_here"
        await #expect {
            try await PostgresStore(configuration: configuration, sealer: .testing, logger: F.quietLogger)
        } throws: { error in
            let text = "\(error) \(String(reflecting: error))"
            return !text.contains("hunter2") && text.contains("postgres://nobody_here:***@")
        }
        configuration.port = 1
        await #expect {
            try await PostgresStore(configuration: configuration, sealer: .testing, logger: F.quietLogger)
        } throws: { error in
            let text = "\(error) \(String(reflecting: error))"
            return !text.contains("hunter2") && text.contains(":***@")
        }
    }
}

@Suite("PostgreSQL store configuration")
struct PostgresConfigurationTests {
    @Test("a URL gives host, port, user, password, database and sslmode; the password shows as ***")
    func parsing() throws {
        let configuration = try PostgresStoreConfiguration(url: "postgres://app:p%40ss@db.internal:6543/hooks?sslmode=require", poolSize: 7)
        #expect(configuration.host == "db.internal" && configuration.port == 6543)
        #expect(configuration.username == "app" && configuration.password == "p@ss" && configuration.database == "hooks")
        #expect(configuration.tls == .require && configuration.poolSize == 7)
        #expect(configuration.redactedURL == "postgres://app:***@db.internal:6543/hooks")
        #expect(try PostgresStoreConfiguration(url: "postgresql://app@db/hooks", tls: .disable).tls == .disable)
    }

    @Test("bad URLs and settings are refused with a message that never shows the password")
    func refusals() {
        for url in [
            "mysql://app:s3cret@db/hooks", "postgres://app:s3cret@/hooks", "postgres://app:s3cret@db", "postgres://:s3cret@db/hooks",
            "postgres://app:s3cret@db/hooks?sslmode=sometimes", "not a url s3cret:",
        ] {
            #expect(throws: PostgresConfigurationError.self, "\(url)") { try PostgresStoreConfiguration(url: url) }
            do { _ = try PostgresStoreConfiguration(url: url) } catch {
                #expect(!error.description.contains("s3cret"), "\(error)")
            }
        }
        #expect(throws: PostgresConfigurationError.self) { try PostgresStoreConfiguration(url: "postgres://a@b/c", poolSize: 0) }
        #expect(throws: PostgresConfigurationError.self) { try PostgresStoreConfiguration(url: "postgres://a@b/c", schema: "x; DROP") }
        #expect(PostgresStoreConfiguration.redact("postgres://u:pw@h/d") == "postgres://u:***@h/d")
    }
}
