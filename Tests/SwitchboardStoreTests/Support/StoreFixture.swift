import Foundation
import GRDB
import Logging
import PostgresNIO
import Synchronization
import SwitchboardCore
import Testing

@testable import SwitchboardPostgres
@testable import SwitchboardSQLite

/// A fresh store of one ``StoreKind``, with helpers that insert endpoints and events the way
/// the core does: SQLite on a new file in its own temporary directory, PostgreSQL on a new
/// schema of the database `SWITCHBOARD_TEST_POSTGRES_URL` names (dropped afterwards).
struct StoreFixture: Sendable {
    /// A fixed instant all tests count from (whole seconds, so stored dates compare equal).
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let tenant: TenantID = "acme"
    static let otherTenant: TenantID = "globex"

    let kind: StoreKind
    let store: any Store
    /// The SQLite file, for SQLite fixtures.
    let path: String?
    /// The PostgreSQL configuration (with its schema), for PostgreSQL fixtures.
    let postgres: PostgresStoreConfiguration?

    /// Runs `body` with a new store of `kind`; removes its file or schema afterwards.
    ///
    /// A PostgreSQL run without `SWITCHBOARD_TEST_POSTGRES_URL` fails: CI always sets it, and
    /// `scripts/test` starts a throwaway cluster for it.
    static func with<T>(_ kind: StoreKind, _ body: (StoreFixture) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("switchboard-store-tests-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("nested/store.sqlite").path
            let store = try SQLiteStore(path: path, sealer: .testing, logger: quietLogger)
            return try await body(StoreFixture(kind: kind, store: store, path: path, postgres: nil))
        case .postgres:
            let configuration = try postgresConfiguration()
            let store = try await PostgresStore(configuration: configuration, sealer: .testing, logger: quietLogger)
            do {
                let result = try await body(StoreFixture(kind: kind, store: store, path: nil, postgres: configuration))
                await drop(store)
                return result
            } catch {
                await drop(store)
                throw error
            }
        }
    }

    /// The test database's configuration with a new schema; fails the test when the variable is unset.
    static func postgresConfiguration() throws -> PostgresStoreConfiguration {
        guard let url = ProcessInfo.processInfo.environment[StoreKind.postgresURLVariable], !url.isEmpty else {
            Issue.record(
                """
                \(StoreKind.postgresURLVariable) is not set: the PostgreSQL store tests need a database. \
                Run scripts/test (it starts a throwaway cluster), or start one with \
                `scripts/postgres/throwaway-cluster.sh start` and export the URL it prints.
                """)
            throw FixtureError.noPostgres
        }
        let schema = "sbt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return try PostgresStoreConfiguration(url: url, poolSize: 4, schema: schema)
    }

    private static func drop(_ store: PostgresStore) async {
        if let schema = store.configuration.schema {
            _ = try? await store.rows(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
        }
        await store.close()
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "switchboard-store-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Flips only the `enabled` flag, leaving deliveries as they are: the state a store must
    /// stay safe in between two transactions, which the public API never leaves behind.
    func setEnabledFlag(_ endpoint: Endpoint, _ enabled: Bool) async throws {
        switch store {
        case let sqlite as SQLiteStore:
            try await sqlite.pool.write { db in
                try db.execute(sql: "UPDATE endpoints SET enabled = ? WHERE id = ?", arguments: [enabled, endpoint.id])
            }
        case let postgres as PostgresStore:
            _ = try await postgres.rows("UPDATE endpoints SET enabled = \(enabled) WHERE id = \(endpoint.id)")
        default:
            Issue.record("no raw access to \(type(of: store))")
        }
    }

    /// A second store on the same file or schema, as a restarted process would open it.
    func reopened() async throws -> any Store {
        switch kind {
        case .sqlite:
            return try SQLiteStore(path: path ?? "", sealer: .testing, logger: Self.quietLogger)
        case .postgres:
            return try await PostgresStore(configuration: postgres!, sealer: .testing, logger: Self.quietLogger)
        }
    }

    // MARK: Builders

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    static func makeEndpoint(
        _ name: String = "receiver", tenant: TenantID = tenant, enabled: Bool = true, eventTypes: [String] = [],
        createdAt: Date = t0, maxConcurrency: Int = 100
    ) -> Endpoint {
        Endpoint(
            id: Identifier.make(.endpoint, at: createdAt), tenantID: tenant, name: name, url: "https://example.com/\(name)",
            eventTypes: eventTypes, secret: Secret("whsec_\(UUID().uuidString)"), enabled: enabled,
            disabledReason: enabled ? nil : "manual", disabledAt: enabled ? nil : createdAt, maxConcurrency: maxConcurrency,
            createdAt: createdAt, updatedAt: createdAt)
    }

    /// An event with one delivery per endpoint, as the core's fan-out builds it: every delivery
    /// `pending` and due at the event's creation.
    static func newEvent(
        _ type: String = "order.created", tenant: TenantID = tenant, to endpoints: [Endpoint], at date: Date = t0,
        payload: String = #"{"order_id":"ord_1"}"#, idempotencyKey: String? = nil, requestHash: String? = nil,
        windowStart: Date? = nil
    ) -> NewEvent {
        let event = Event(
            id: Identifier.make(.event, at: date), tenantID: tenant, eventType: type, payload: Data(payload.utf8),
            idempotencyKey: idempotencyKey, createdAt: date)
        let deliveries = endpoints.map { endpoint in
            Delivery(
                id: Identifier.make(.delivery, at: date), tenantID: tenant, eventID: event.id, endpointID: endpoint.id,
                nextAttemptAt: date, createdAt: date, updatedAt: date)
        }
        return NewEvent(event: event, deliveries: deliveries, requestHash: requestHash, idempotencyWindowStart: windowStart)
    }

    /// The lease token of each delivery's latest ``claim(at:limit:perEndpoint:lease:excluding:)``,
    /// which ``record(_:number:status:errorClass:at:state:next:change:)`` carries, as the
    /// dispatcher would. Delivery ids are unique, so concurrent tests share it safely.
    static let claimedTokens = Mutex<[String: Int64]>([:])

    /// The attempt record a dispatcher would make for `delivery`, under its latest claim.
    static func record(
        _ delivery: Delivery, number: Int = 1, status: Int? = 200, errorClass: String? = nil, at date: Date = at(1),
        state: Delivery.State? = nil, next: Date? = nil, change: EndpointHealthChange? = nil
    ) -> AttemptRecord {
        let succeeded = status.map { (200..<300).contains($0) } ?? false
        let attempt = Attempt(
            id: Identifier.make(.attempt, at: date), tenantID: delivery.tenantID, deliveryID: delivery.id,
            eventID: delivery.eventID, endpointID: delivery.endpointID, number: number, url: "https://example.com/hook",
            requestHeaders: ["content-type": "application/json", "webhook-id": delivery.eventID], statusCode: status,
            errorClass: errorClass, durationMilliseconds: 12, createdAt: date, nextRetryAt: next)
        return AttemptRecord(
            attempt: attempt, leaseToken: claimedTokens.withLock { $0[delivery.id] } ?? delivery.leaseToken,
            deliveryState: state ?? (succeeded ? .succeeded : .failed), nextAttemptAt: next,
            endpointChange: change ?? (succeeded ? .succeeded : .failed(at: date)))
    }

    // MARK: Actions

    @discardableResult
    func insert(_ endpoint: Endpoint) async throws -> Endpoint {
        try await store.insertEndpoint(endpoint)
        return endpoint
    }

    @discardableResult
    func endpoint(
        _ name: String = "receiver", tenant: TenantID = tenant, enabled: Bool = true, eventTypes: [String] = [],
        createdAt: Date = t0, maxConcurrency: Int = 100
    ) async throws -> Endpoint {
        try await insert(
            Self.makeEndpoint(name, tenant: tenant, enabled: enabled, eventTypes: eventTypes, createdAt: createdAt, maxConcurrency: maxConcurrency))
    }

    /// Publishes one event and returns it as stored; fails the test unless it was inserted.
    @discardableResult
    func publish(
        _ type: String = "order.created", tenant: TenantID = tenant, to endpoints: [Endpoint], at date: Date = t0,
        payload: String = #"{"order_id":"ord_1"}"#
    ) async throws -> (event: Event, deliveries: [Delivery]) {
        let outcomes = try await store.insertEvents([Self.newEvent(type, tenant: tenant, to: endpoints, at: date, payload: payload)])
        guard case .inserted(let event, let deliveries) = try #require(outcomes.first) else {
            Issue.record("expected the event to be inserted, got \(outcomes)")
            throw FixtureError.notInserted
        }
        return (event, deliveries)
    }

    func claim(
        at date: Date = at(1), limit: Int = 100, perEndpoint: Int = 100, lease: TimeInterval = 60, excluding: Set<String> = []
    ) async throws -> [DeliveryJob] {
        let jobs = try await store.claimDueDeliveries(
            ClaimRequest(now: date, limit: limit, perEndpointLimit: perEndpoint, leaseDuration: lease, excludedEndpointIDs: excluding))
        Self.claimedTokens.withLock { tokens in
            for job in jobs { tokens[job.delivery.id] = job.delivery.leaseToken }
        }
        return jobs
    }

    func state(of delivery: Delivery) async throws -> Delivery.State? {
        try await store.delivery(id: delivery.id, tenant: delivery.tenantID)?.state
    }

    func status(of event: Event) async throws -> Event.Status? {
        try await store.event(id: event.id, tenant: event.tenantID)?.status
    }
}

enum FixtureError: Error { case notInserted, noPostgres }
