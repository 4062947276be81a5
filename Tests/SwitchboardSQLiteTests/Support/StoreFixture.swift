import Foundation
import Logging
import Synchronization
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// A ``SQLiteStore`` on a fresh file in its own temporary directory, with helpers that
/// insert endpoints and events the way the core does.
struct StoreFixture: Sendable {
    /// A fixed instant all tests count from (whole seconds, so stored dates compare equal).
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let tenant: TenantID = "acme"
    static let otherTenant: TenantID = "globex"

    let store: SQLiteStore
    let path: String

    /// Runs `body` with a new store; deletes the directory afterwards.
    static func with<T>(_ body: (StoreFixture) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-sqlite-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested/store.sqlite").path
        let store = try SQLiteStore(path: path, logger: quietLogger)
        return try await body(StoreFixture(store: store, path: path))
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "switchboard-sqlite-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// A second store on the same file, as a restarted process would open it.
    /// Flips only the `enabled` flag, leaving deliveries as they are: the state a store must
    /// stay safe in between two transactions, which the public API never leaves behind.
    func setEnabledFlag(_ endpoint: Endpoint, _ enabled: Bool) async throws {
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE endpoints SET enabled = ? WHERE id = ?", arguments: [enabled, endpoint.id])
        }
    }

    func reopened() throws -> SQLiteStore {
        try SQLiteStore(path: path, logger: Self.quietLogger)
    }

    // MARK: Builders

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    static func makeEndpoint(
        _ name: String = "receiver", tenant: TenantID = tenant, enabled: Bool = true, eventTypes: [String] = [],
        createdAt: Date = t0
    ) -> Endpoint {
        Endpoint(
            id: Identifier.make(.endpoint, at: createdAt), tenantID: tenant, name: name, url: "https://example.com/\(name)",
            eventTypes: eventTypes, secret: Secret("whsec_\(UUID().uuidString)"), enabled: enabled,
            disabledReason: enabled ? nil : "manual", disabledAt: enabled ? nil : createdAt, createdAt: createdAt,
            updatedAt: createdAt)
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
            attempt: attempt, leaseToken: claimedTokens.withLock { $0[delivery.id] } ?? delivery.leaseToken, deliveryState: state ?? (succeeded ? .succeeded : .failed), nextAttemptAt: next,
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
        createdAt: Date = t0
    ) async throws -> Endpoint {
        try await insert(Self.makeEndpoint(name, tenant: tenant, enabled: enabled, eventTypes: eventTypes, createdAt: createdAt))
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

enum FixtureError: Error { case notInserted }
