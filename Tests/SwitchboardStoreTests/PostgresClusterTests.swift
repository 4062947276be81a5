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
            let request = ClaimRequest(now: F.at(100), limit: 10, perEndpointLimit: 32, leaseDuration: 60)
            let claimed = try await withThrowingTaskGroup(of: [DeliveryJob].self) { group in
                for store in stores {
                    group.addTask {
                        var jobs: [DeliveryJob] = []
                        for _ in 0..<5 { jobs += try await store.claimDueDeliveries(request) }
                        return jobs
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 3, "at most max_concurrency in flight across the cluster: \(claimed.count)")
            #expect(Set(claimed.map(\.delivery.id)).count == claimed.count, "no delivery claimed twice")
            #expect(try await fixture.store.gauges().inFlightDeliveries == 3)

            // When the leases lapse, another node takes them over under new tokens.
            let later = ClaimRequest(now: F.at(161), limit: 10, perEndpointLimit: 32, leaseDuration: 60)
            let takenOver = try await others[0].claimDueDeliveries(later)
            #expect(takenOver.count == 3)
            #expect(Set(takenOver.compactMap(\.delivery.leaseToken)).isDisjoint(with: claimed.compactMap(\.delivery.leaseToken)))
            for store in others { await store.close() }
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
