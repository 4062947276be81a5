import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardAPI
import SwitchboardCore
import SwitchboardSQLite

/// The HTTP API over a real SQLite file in a temporary directory, driven through
/// HummingbirdTesting's router mode, with API keys for two tenants ready to use.
///
/// No dispatcher runs: deliveries stay `pending` unless a test records attempts itself
/// (``recordAttempt(deliveryID:statusCode:)``).
struct APIHarness: Sendable {
    let switchboard: Switchboard
    let store: SQLiteStore
    let client: any TestClientProtocol
    let keys: Keys
    /// The SQLite file under the API.
    let databasePath: String

    /// Secrets of the keys the harness creates.
    struct Keys: Sendable {
        /// `default` tenant, admin scope.
        let admin: String
        /// `default` tenant, write scope.
        let writer: String
        /// `default` tenant, read scope.
        let reader: String
        /// `globex` tenant, admin scope.
        let otherTenant: String
    }

    static let otherTenant: TenantID = "globex"

    static let quietLogger: Logger = {
        var logger = Logger(label: "switchboard-api-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs `body` against a fresh database; deletes it afterwards.
    static func with<T: Sendable>(
        options: APIOptions = APIOptions(), configuration: DispatcherConfiguration = DispatcherConfiguration(),
        logger: Logger = quietLogger, wrapStore: @Sendable (SQLiteStore) -> any Store = { $0 },
        sourceRejections: SourceRejectionLedger? = nil, logRing: LogRing? = nil,
        _ body: @Sendable (APIHarness) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-api-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("api.sqlite").path
        let store = try SQLiteStore(path: path, synchronous: .normal, logger: logger)
        let switchboard = Switchboard(
            store: wrapStore(store), configuration: configuration, logger: logger, sourceRejections: sourceRejections,
            logRing: logRing)
        let keys = Keys(
            admin: try await switchboard.createAPIKey(name: "admin", tenant: .defaultTenant, scopes: [.admin]).secret.reveal(),
            writer: try await switchboard.createAPIKey(name: "writer", tenant: .defaultTenant, scopes: [.write]).secret.reveal(),
            reader: try await switchboard.createAPIKey(name: "reader", tenant: .defaultTenant, scopes: [.read]).secret.reveal(),
            otherTenant: try await switchboard.createAPIKey(name: "globex admin", tenant: otherTenant, scopes: [.admin]).secret.reveal())
        let app = Application(router: buildRouter(switchboard: switchboard, options: options), logger: logger)
        return try await app.test(.router) { client in
            try await body(APIHarness(switchboard: switchboard, store: store, client: client, keys: keys, databasePath: path))
        }
    }

    // MARK: Requests

    /// Sends a request with `Authorization: Bearer <key>` (none when `key` is `nil`) and a raw body.
    func request(
        _ method: HTTPRequest.Method, _ path: String, key: String?, body: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = extra
        if let key { headers[.authorization] = "Bearer \(key)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.executeRequest(
            uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return APIResponse(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    func get(_ path: String, key: String? = nil) async throws -> APIResponse {
        try await request(.get, path, key: key ?? keys.reader)
    }

    func post(_ path: String, _ body: String? = nil, key: String? = nil, headers: HTTPFields = [:]) async throws -> APIResponse {
        try await request(.post, path, key: key ?? keys.writer, body: body, headers: headers)
    }

    func patch(_ path: String, _ body: String, key: String? = nil) async throws -> APIResponse {
        try await request(.patch, path, key: key ?? keys.writer, body: body)
    }

    func delete(_ path: String, key: String? = nil) async throws -> APIResponse {
        try await request(.delete, path, key: key ?? keys.writer)
    }

    // MARK: Fixtures

    /// Creates an endpoint through the API and returns its JSON (secret included).
    @discardableResult
    func createEndpoint(
        url: String = "https://receiver.example/hooks", name: String = "orders", eventTypes: [String] = [], key: String? = nil
    ) async throws -> JSONValue {
        let types = eventTypes.map { "\"\($0)\"" }.joined(separator: ",")
        let response = try await post(
            "/v1/endpoints", #"{"url":"\#(url)","name":"\#(name)","event_types":[\#(types)]}"#, key: key)
        guard response.status == .created else { throw HarnessError("endpoint creation answered \(response.status): \(response.body)") }
        return try response.json()
    }

    /// Publishes through the API and returns the 202 JSON.
    @discardableResult
    func publish(
        _ eventType: String = "order.created", payload: String = #"{"order_id":"ord_1"}"#, idempotencyKey: String? = nil,
        key: String? = nil
    ) async throws -> JSONValue {
        var headers: HTTPFields = [:]
        if let idempotencyKey { headers[.idempotencyKey] = idempotencyKey }
        let response = try await post(
            "/v1/events", #"{"event_type":"\#(eventType)","payload":\#(payload)}"#, key: key, headers: headers)
        guard response.status == .accepted else { throw HarnessError("publish answered \(response.status): \(response.body)") }
        return try response.json()
    }

    /// Records a finished attempt for a delivery directly in the store, as the dispatcher would.
    func recordAttempt(deliveryID: String, statusCode: Int, final: Bool = true) async throws {
        let delivery = try await switchboard.delivery(id: deliveryID, tenant: .defaultTenant)
        let succeeded = (200..<300).contains(statusCode)
        let now = Date()
        let attempt = Attempt(
            id: Identifier.make(.attempt), tenantID: delivery.tenantID, deliveryID: delivery.id, eventID: delivery.eventID,
            endpointID: delivery.endpointID, number: delivery.attemptCount + 1, url: "https://receiver.example/hooks",
            requestHeaders: ["webhook-id": delivery.eventID], statusCode: statusCode, responseBody: succeeded ? "ok" : "boom",
            durationMilliseconds: 12, createdAt: now, nextRetryAt: final || succeeded ? nil : now.addingTimeInterval(5))
        let state: Delivery.State = succeeded ? .succeeded : (final ? .failed : .scheduled)
        _ = try await store.recordAttempts([
            AttemptRecord(
                attempt: attempt, leaseToken: delivery.leaseToken, deliveryState: state, nextAttemptAt: attempt.nextRetryAt,
                endpointChange: succeeded ? .succeeded : .failed(at: now))
        ])
    }
}

/// A response with its body as text.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String

    func json() throws -> JSONValue {
        guard let value = JSONValue.parse(Data(body.utf8)) else { throw HarnessError("not JSON: \(body.prefix(200))") }
        return value
    }

    /// `error.code` of an error response.
    var errorCode: String? { (try? json())?["error"]?["code"]?.string }
    /// `error.message` of an error response.
    var errorMessage: String? { (try? json())?["error"]?["message"]?.string }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

extension JSONValue {
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int? { if case .integer(let value) = self { Int(value) } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var keys: Set<String> { Set(object?.keys.map { $0 } ?? []) }

    subscript(index: Int) -> JSONValue? {
        guard let array, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
