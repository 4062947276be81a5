import Foundation
import GRDB
import SwitchboardCore

/// Row ⇄ model mapping, column by column.
///
/// Decoding is lenient where the stored text is ours to interpret (JSON lists, enum raw
/// values) so that one odd row cannot make a whole listing fail.
enum Rows {
    // MARK: JSON columns

    static func json(_ value: [String: String]) -> String { JSONText.object(value) }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, default fallback: T) -> T {
        // Most rows hold an empty list or map; that needs no decoder.
        if text == "{}", let empty = [String: String]() as? T { return empty }
        if text == "[]", let empty = [String]() as? T { return empty }
        return (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) ?? fallback
    }

    // MARK: Endpoints

    static let endpointColumns = """
        id, tenant_id, name, url, description, event_types, auth_mode, secret, previous_secret, previous_secret_expires_at,
        enabled, disabled_reason, disabled_at, failing_since, max_concurrency, rate_limit_per_second, headers, source_ids,
        created_at, updated_at
        """

    /// The endpoint in `row`, its secrets and headers opened with `sealer`.
    static func endpoint(_ row: Row, sealer: SecretSealer) throws(SecretSealerError) -> Endpoint {
        try Endpoint(
            id: row["id"], tenantID: row["tenant_id"], name: row["name"], url: row["url"], description: row["description"],
            eventTypes: decode([String].self, row["event_types"], default: []),
            authMode: Endpoint.AuthMode(rawValue: row["auth_mode"]) ?? .signature, secret: Secret(sealer.unseal(row["secret"])),
            previousSecret: (row["previous_secret"] as String?).map { stored throws(SecretSealerError) in Secret(try sealer.unseal(stored)) },
            previousSecretExpiresAt: row.optionalDate("previous_secret_expires_at"), enabled: row["enabled"],
            disabledReason: row["disabled_reason"], disabledAt: row.optionalDate("disabled_at"),
            failingSince: row.optionalDate("failing_since"),
            throttledUntil: row.optionalDate("throttled_until"), maxConcurrency: row["max_concurrency"],
            rateLimitPerSecond: row["rate_limit_per_second"],
            headers: decode([String: String].self, try sealer.unseal(row["headers"]), default: [:]),
            sourceIDs: decode([String].self, row["source_ids"], default: []),
            createdAt: row.date("created_at"), updatedAt: row.date("updated_at"))
    }

    /// The named arguments of `endpoint`'s columns, its secrets and headers sealed with `sealer`.
    static func endpointArguments(_ endpoint: Endpoint, sealer: SecretSealer) throws(SecretSealerError) -> StatementArguments {
        try [
            "id": endpoint.id, "tenant_id": endpoint.tenantID, "name": endpoint.name, "url": endpoint.url,
            "description": endpoint.description, "event_types": json(endpoint.eventTypes),
            "auth_mode": endpoint.authMode.rawValue, "secret": sealer.seal(endpoint.secret.reveal()),
            "previous_secret": endpoint.previousSecret.map { secret throws(SecretSealerError) in try sealer.seal(secret.reveal()) },
            "previous_secret_expires_at": endpoint.previousSecretExpiresAt?.unixSeconds, "enabled": endpoint.enabled,
            "disabled_reason": endpoint.disabledReason, "disabled_at": endpoint.disabledAt?.unixSeconds,
            "failing_since": endpoint.failingSince?.unixSeconds, "max_concurrency": endpoint.maxConcurrency,
            "rate_limit_per_second": endpoint.rateLimitPerSecond,
            "headers": sealer.seal(json(endpoint.headers)), "source_ids": json(endpoint.sourceIDs),
            "created_at": endpoint.createdAt.unixSeconds, "updated_at": endpoint.updatedAt.unixSeconds,
        ]
    }

    // MARK: Events, deliveries, attempts

    static func event(_ row: Row) -> Event {
        Event(
            id: row["id"], tenantID: row["tenant_id"], eventType: row["event_type"], payload: row["payload"] ?? Data(),
            origin: Event.Origin(rawValue: row["origin"]) ?? .api, status: Event.Status(rawValue: row["status"]) ?? .queued,
            idempotencyKey: row["idempotency_key"], replayOf: row["replay_of"], sourceID: row["source_id"],
            correlationID: row["correlation_id"],
            sourceHeaders: decode([String: String].self, row["source_headers"] ?? "{}", default: [:]),
            createdAt: row.date("created_at"))
    }

    /// The event columns ``event(_:from:)`` reads, in its order.
    static let eventColumnNames = [
        "id", "tenant_id", "event_type", "payload", "origin", "status", "idempotency_key", "replay_of", "source_id",
        "correlation_id", "source_headers", "created_at",
    ]

    /// The delivery columns ``delivery(_:from:)`` reads, in its order.
    static let deliveryColumnNames = [
        "id", "tenant_id", "event_id", "endpoint_id", "state", "attempt_count", "next_attempt_at", "lease_expires_at",
        "lease_token", "last_status_code", "last_error", "created_at", "updated_at",
    ]

    /// `names` as a select list, each qualified with `alias`.
    static func selectList(_ names: [String], alias: String) -> String {
        names.map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// The event in the columns ``eventColumnNames`` starting at index `start`.
    ///
    /// Reading by position skips the by-name lookup, which lower-cases every name it compares:
    /// the claim decodes one event and one delivery per delivery it sends.
    static func event(_ row: Row, from start: Int) -> Event {
        Event(
            id: row[start], tenantID: row[start + 1], eventType: row[start + 2], payload: row[start + 3] ?? Data(),
            origin: Event.Origin(rawValue: row[start + 4]) ?? .api, status: Event.Status(rawValue: row[start + 5]) ?? .queued,
            idempotencyKey: row[start + 6], replayOf: row[start + 7], sourceID: row[start + 8], correlationID: row[start + 9],
            sourceHeaders: decode([String: String].self, row[start + 10] ?? "{}", default: [:]),
            createdAt: Date(timeIntervalSince1970: row[start + 11]))
    }

    /// The delivery in the columns ``deliveryColumnNames`` starting at index `start` (see ``event(_:from:)``).
    static func delivery(_ row: Row, from start: Int) -> Delivery {
        Delivery(
            id: row[start], tenantID: row[start + 1], eventID: row[start + 2], endpointID: row[start + 3],
            state: Delivery.State(rawValue: row[start + 4]) ?? .pending, attemptCount: row[start + 5],
            nextAttemptAt: (row[start + 6] as Double?).map(Date.init(timeIntervalSince1970:)),
            leaseExpiresAt: (row[start + 7] as Double?).map(Date.init(timeIntervalSince1970:)),
            leaseToken: row[start + 8], lastStatusCode: row[start + 9], lastError: row[start + 10],
            createdAt: Date(timeIntervalSince1970: row[start + 11]), updatedAt: Date(timeIntervalSince1970: row[start + 12]))
    }

    static func delivery(_ row: Row) -> Delivery {
        Delivery(
            id: row["id"], tenantID: row["tenant_id"], eventID: row["event_id"], endpointID: row["endpoint_id"],
            state: Delivery.State(rawValue: row["state"]) ?? .pending, attemptCount: row["attempt_count"],
            nextAttemptAt: row.optionalDate("next_attempt_at"), leaseExpiresAt: row.optionalDate("lease_expires_at"),
            leaseToken: row["lease_token"],
            lastStatusCode: row["last_status_code"], lastError: row["last_error"],
            createdAt: row.date("created_at"), updatedAt: row.date("updated_at"))
    }

    static func attempt(_ row: Row) -> Attempt {
        Attempt(
            id: row["id"], tenantID: row["tenant_id"], deliveryID: row["delivery_id"], eventID: row["event_id"],
            endpointID: row["endpoint_id"], number: row["number"], url: row["url"],
            requestHeaders: decode([String: String].self, row["request_headers"], default: [:]),
            statusCode: row["status_code"], errorClass: row["error_class"], errorMessage: row["error_message"],
            responseBody: row["response_body"], durationMilliseconds: row["duration_ms"], createdAt: row.date("created_at"),
            nextRetryAt: row.optionalDate("next_retry_at"), superseded: row["superseded"], node: row["node"])
    }

    // MARK: Sources

    static let sourceColumns = """
        id, tenant_id, name, provider, signing_secret, previous_signing_secret, previous_secret_expires_at, slug,
        hmac_options, retention_days, created_at, updated_at
        """

    /// The source in `row`, its secrets opened with `sealer`.
    static func source(_ row: Row, sealer: SecretSealer) throws(SecretSealerError) -> Source {
        try Source(
            id: row["id"], tenantID: row["tenant_id"], name: row["name"],
            provider: SourceProvider(rawValue: row["provider"]) ?? .none, signingSecret: Secret(sealer.unseal(row["signing_secret"])),
            previousSigningSecret: (row["previous_signing_secret"] as String?).map { stored throws(SecretSealerError) in
                Secret(try sealer.unseal(stored))
            },
            previousSecretExpiresAt: row.optionalDate("previous_secret_expires_at"), slug: row["slug"],
            hmacOptions: decode(GenericHMACOptions.self, row["hmac_options"], default: GenericHMACOptions()),
            retentionDays: row["retention_days"], eventsReceived: row["events_received"], rejectedCount: row["rejected_count"],
            lastRejectionReason: row["last_rejection_reason"], lastRejectedAt: row.optionalDate("last_rejected_at"),
            lastReceivedAt: row.optionalDate("last_received_at"), createdAt: row.date("created_at"),
            updatedAt: row.date("updated_at"))
    }

    /// The named arguments of `source`'s columns, its secrets sealed with `sealer`.
    static func sourceArguments(_ source: Source, sealer: SecretSealer) throws(SecretSealerError) -> StatementArguments {
        try [
            "id": source.id, "tenant_id": source.tenantID, "name": source.name, "provider": source.provider.rawValue,
            "signing_secret": sealer.seal(source.signingSecret.reveal()),
            "previous_signing_secret": source.previousSigningSecret.map { secret throws(SecretSealerError) in try sealer.seal(secret.reveal()) },
            "previous_secret_expires_at": source.previousSecretExpiresAt?.unixSeconds, "slug": source.slug,
            "hmac_options": json(source.hmacOptions), "retention_days": source.retentionDays,
            "created_at": source.createdAt.unixSeconds, "updated_at": source.updatedAt.unixSeconds,
        ]
    }

    // MARK: API keys

    static func scopes(_ scopes: Set<APIKey.Scope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: ",")
    }

    static func apiKey(_ row: Row) -> APIKey {
        let scopes = (row["scopes"] as String).split(separator: ",").compactMap { APIKey.Scope(rawValue: String($0)) }
        return APIKey(
            id: row["id"], tenantID: row["tenant_id"], name: row["name"], scopes: Set(scopes), keyHash: row["key_hash"],
            keyPrefix: row["key_prefix"], createdAt: row.date("created_at"), revokedAt: row.optionalDate("revoked_at"))
    }
}

extension Date {
    /// The stored form of a date: REAL seconds since 1970.
    var unixSeconds: Double { timeIntervalSince1970 }
}

extension Row {
    func date(_ column: String) -> Date { Date(timeIntervalSince1970: self[column] as Double) }
    func optionalDate(_ column: String) -> Date? { (self[column] as Double?).map { Date(timeIntervalSince1970: $0) } }
}

extension Delivery.State {
    /// The states of a delivery that is still waiting to be attempted.
    static let waiting: [Delivery.State] = [.pending, .scheduled]
}
