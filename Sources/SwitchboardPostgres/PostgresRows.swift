import Foundation
import PostgresNIO
import SwitchboardCore

/// Row ⇄ model mapping for the PostgreSQL schema, column by column, lenient where the stored
/// text is ours to interpret (JSON lists, enum raw values) as in the SQLite store.
enum PostgresRows {
    // MARK: JSON columns

    static func json(_ value: [String: String]) -> String { JSONText.object(value) }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, default fallback: T) -> T {
        if text == "{}", let empty = [String: String]() as? T { return empty }
        if text == "[]", let empty = [String]() as? T { return empty }
        return (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) ?? fallback
    }

    // MARK: Models

    static func endpoint(_ row: PostgresRow, sealer: SecretSealer) throws -> Endpoint {
        let r = row.makeRandomAccess()
        return Endpoint(
            id: try r.string("id"), tenantID: try r.string("tenant_id"), name: try r.string("name"), url: try r.string("url"),
            description: try r.string("description"),
            eventTypes: decode([String].self, try r.string("event_types"), default: []),
            authMode: Endpoint.AuthMode(rawValue: try r.string("auth_mode")) ?? .signature,
            secret: Secret(try sealer.unseal(try r.string("secret"))),
            previousSecret: try r.optionalString("previous_secret").map { Secret(try sealer.unseal($0)) },
            previousSecretExpiresAt: try r.optionalDate("previous_secret_expires_at"), enabled: try r.bool("enabled"),
            disabledReason: try r.optionalString("disabled_reason"), disabledAt: try r.optionalDate("disabled_at"),
            failingSince: try r.optionalDate("failing_since"), throttledUntil: try r.optionalDate("throttled_until"),
            maxConcurrency: try r.int("max_concurrency"), rateLimitPerSecond: try r.optionalInt("rate_limit_per_second"),
            headers: decode([String: String].self, try sealer.unseal(try r.string("headers")), default: [:]),
            sourceIDs: decode([String].self, try r.string("source_ids"), default: []),
            createdAt: try r.date("created_at"), updatedAt: try r.date("updated_at"))
    }

    static func event(_ row: PostgresRow) throws -> Event {
        let r = row.makeRandomAccess()
        return Event(
            id: try r.string("id"), tenantID: try r.string("tenant_id"), eventType: try r.string("event_type"),
            payload: try r["payload"].decode(Data.self), origin: Event.Origin(rawValue: try r.string("origin")) ?? .api,
            status: Event.Status(rawValue: try r.string("status")) ?? .queued,
            idempotencyKey: try r.optionalString("idempotency_key"), replayOf: try r.optionalString("replay_of"),
            sourceID: try r.optionalString("source_id"), correlationID: try r.optionalString("correlation_id"),
            sourceHeaders: decode([String: String].self, try r.string("source_headers"), default: [:]),
            createdAt: try r.date("created_at"))
    }

    static func delivery(_ row: PostgresRow) throws -> Delivery {
        let r = row.makeRandomAccess()
        return Delivery(
            id: try r.string("id"), tenantID: try r.string("tenant_id"), eventID: try r.string("event_id"),
            endpointID: try r.string("endpoint_id"), state: Delivery.State(rawValue: try r.string("state")) ?? .pending,
            attemptCount: try r.int("attempt_count"), nextAttemptAt: try r.optionalDate("next_attempt_at"),
            leaseExpiresAt: try r.optionalDate("lease_expires_at"), leaseToken: try r["lease_token"].decode(Int64?.self),
            lastStatusCode: try r.optionalInt("last_status_code"), lastError: try r.optionalString("last_error"),
            createdAt: try r.date("created_at"), updatedAt: try r.date("updated_at"))
    }

    static func attempt(_ row: PostgresRow) throws -> Attempt {
        let r = row.makeRandomAccess()
        return Attempt(
            id: try r.string("id"), tenantID: try r.string("tenant_id"), deliveryID: try r.string("delivery_id"),
            eventID: try r.string("event_id"), endpointID: try r.string("endpoint_id"), number: try r.int("number"),
            url: try r.string("url"), requestHeaders: decode([String: String].self, try r.string("request_headers"), default: [:]),
            statusCode: try r.optionalInt("status_code"), errorClass: try r.optionalString("error_class"),
            errorMessage: try r.optionalString("error_message"), responseBody: try r.optionalString("response_body"),
            durationMilliseconds: try r.int("duration_ms"), createdAt: try r.date("created_at"),
            nextRetryAt: try r.optionalDate("next_retry_at"), superseded: try r.bool("superseded"),
            node: try r.optionalString("node"))
    }

    static func source(_ row: PostgresRow, sealer: SecretSealer) throws -> Source {
        let r = row.makeRandomAccess()
        return Source(
            id: try r.string("id"), tenantID: try r.string("tenant_id"), name: try r.string("name"),
            provider: SourceProvider(rawValue: try r.string("provider")) ?? .none,
            signingSecret: Secret(try sealer.unseal(try r.string("signing_secret"))),
            previousSigningSecret: try r.optionalString("previous_signing_secret").map { Secret(try sealer.unseal($0)) },
            previousSecretExpiresAt: try r.optionalDate("previous_secret_expires_at"), slug: try r.string("slug"),
            hmacOptions: decode(GenericHMACOptions.self, try r.string("hmac_options"), default: GenericHMACOptions()),
            retentionDays: try r.optionalInt("retention_days"), eventsReceived: try r.int("events_received"),
            rejectedCount: try r.int("rejected_count"), lastRejectionReason: try r.optionalString("last_rejection_reason"),
            lastRejectedAt: try r.optionalDate("last_rejected_at"), lastReceivedAt: try r.optionalDate("last_received_at"),
            createdAt: try r.date("created_at"), updatedAt: try r.date("updated_at"))
    }

    static func scopes(_ scopes: Set<APIKey.Scope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: ",")
    }

    static func apiKey(_ row: PostgresRow) throws -> APIKey {
        let r = row.makeRandomAccess()
        let scopes = try r.string("scopes").split(separator: ",").compactMap { APIKey.Scope(rawValue: String($0)) }
        return APIKey(
            id: try r.string("id"), tenantID: try r.string("tenant_id"), name: try r.string("name"), scopes: Set(scopes),
            keyHash: try r.string("key_hash"), keyPrefix: try r.string("key_prefix"), createdAt: try r.date("created_at"),
            revokedAt: try r.optionalDate("revoked_at"))
    }
}

extension PostgresRandomAccessRow {
    func string(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func int(_ column: String) throws -> Int { try self[column].decode(Int.self) }
    func optionalInt(_ column: String) throws -> Int? { try self[column].decode(Int?.self) }
    func bool(_ column: String) throws -> Bool { try self[column].decode(Bool.self) }
    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: try self[column].decode(Double.self)) }
    func optionalDate(_ column: String) throws -> Date? {
        try self[column].decode(Double?.self).map { Date(timeIntervalSince1970: $0) }
    }
}

extension Date {
    /// The stored form of a date: seconds since 1970.
    var unixSeconds: Double { timeIntervalSince1970 }
}

extension Delivery.State {
    /// Raw values of the states of a delivery that is not finished.
    static let unfinishedNames = ["pending", "scheduled", "paused", "in_flight"]
}
