import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// The channel whose notifications carry the id of the latest change row.
    static let changesChannel = "switchboard_changes"

    /// Appends changes made on `node` to the cluster-wide feed and NOTIFYs the last id.
    func appendChanges(_ references: [ChangeReference], node: String) async throws {
        guard !references.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        try await transaction { connection in
            let rows = try await connection.rows(
                """
                INSERT INTO changes (node, kind, tenant_id, subject, detail, created_at)
                SELECT \(node), u.kind, u.tenant_id, u.subject, NULLIF(u.detail, ''), \(now)
                FROM unnest(\(references.map(\.kind))::text[], \(references.map(\.tenantID))::text[],
                    \(references.map(\.subject))::text[], \(references.map { $0.detail ?? "" })::text[])
                    WITH ORDINALITY AS u(kind, tenant_id, subject, detail, n)
                ORDER BY u.n RETURNING id
                """, logger)
            if notify, let last = try rows.last?.decode(Int64.self) {
                try await connection.rows("SELECT pg_notify(\(Self.changesChannel), \(String(last)))", logger)
            }
        }
    }

    /// The highest change id so far (0 when none).
    func latestChangeID() async throws -> Int64 {
        try await rows("SELECT COALESCE(MAX(id), 0) FROM changes").first?.decode(Int64.self) ?? 0
    }

    /// Change rows with an id above `after` (oldest first, `limit` at most) and those of the ids
    /// `also` names, with the node that made each; one round trip.
    func changes(after: Int64, limit: Int, also: [Int64] = []) async throws -> [(id: Int64, node: String, reference: ChangeReference)] {
        try await rows(
            """
            (SELECT id, node, kind, tenant_id, subject, detail FROM changes WHERE id = ANY(\(also)))
            UNION ALL
            (SELECT id, node, kind, tenant_id, subject, detail FROM changes WHERE id > \(after) ORDER BY id LIMIT \(limit))
            """
        ).map { row in
            let (id, node, kind, tenant, subject, detail) = try row.decode((Int64, String, String, String, String, String?).self)
            return (id, node, ChangeReference(kind: kind, tenantID: tenant, subject: subject, detail: detail))
        }
    }

    /// Deletes change rows older than `age`; returns how many.
    @discardableResult
    func pruneChanges(olderThan age: TimeInterval) async throws -> Int {
        try await rows("DELETE FROM changes WHERE created_at < \(Date().timeIntervalSince1970 - age) RETURNING 1").count
    }

    /// The changes `references` name, in their order, read back as stored now (`nil` where the
    /// subject is gone): events with their deliveries and attempts in one query per kind, the
    /// rest one by one. A relay tailing thousands of changes a second needs the batch.
    func changes(for references: [ChangeReference]) async throws -> [Change?] {
        let eventIDs = Array(Set(references.lazy.filter { $0.kind == "event" }.map(\.subject)))
        let attemptIDs = Array(Set(references.lazy.filter { $0.kind == "attempt" }.map(\.subject)))
        var events: [String: Event] = [:]
        var deliveries: [String: [Delivery]] = [:]
        if !eventIDs.isEmpty {
            for row in try await rows("SELECT * FROM events WHERE id = ANY(\(eventIDs))") {
                let event = try PostgresRows.event(row)
                events[event.id] = event
            }
            for row in try await rows("SELECT * FROM deliveries WHERE event_id = ANY(\(eventIDs)) ORDER BY created_at, seq") {
                let delivery = try PostgresRows.delivery(row)
                deliveries[delivery.eventID, default: []].append(delivery)
            }
        }
        var attempts: [String: Attempt] = [:]
        if !attemptIDs.isEmpty {
            for row in try await rows("SELECT * FROM attempts WHERE id = ANY(\(attemptIDs))") {
                let attempt = try PostgresRows.attempt(row)
                attempts[attempt.id] = attempt
            }
        }
        var changes: [Change?] = []
        changes.reserveCapacity(references.count)
        for reference in references {
            switch reference.kind {
            case "event":
                changes.append(events[reference.subject].flatMap { event in
                    event.tenantID == reference.tenantID ? .eventPublished(event, deliveries: deliveries[event.id] ?? []) : nil
                })
            case "attempt":
                let state = Delivery.State(rawValue: reference.detail ?? "") ?? .pending
                changes.append(attempts[reference.subject].map { .attemptRecorded($0, delivery: state) })
            default:
                changes.append(try await change(for: reference))
            }
        }
        return changes
    }

    /// The change a reference names, read back as it is stored now; `nil` when its subject is gone.
    func change(for reference: ChangeReference) async throws -> Change? {
        let tenant = reference.tenantID
        switch reference.kind {
        case "event":
            guard let event = try await event(id: reference.subject, tenant: tenant) else { return nil }
            return .eventPublished(event, deliveries: try await deliveries(eventID: event.id, tenant: tenant))
        case "attempt":
            guard let row = try await rows("SELECT * FROM attempts WHERE id = \(reference.subject)").first else { return nil }
            let state = Delivery.State(rawValue: reference.detail ?? "") ?? .pending
            return .attemptRecorded(try PostgresRows.attempt(row), delivery: state)
        case "delivery":
            return try await delivery(id: reference.subject, tenant: tenant).map { .deliveryStateChanged($0) }
        case "event_status":
            guard let status = Event.Status(rawValue: reference.detail ?? "") else { return nil }
            return .eventStatusChanged(EventStatusChange(eventID: reference.subject, tenantID: tenant, status: status))
        case "endpoint":
            return try await endpoint(id: reference.subject, tenant: tenant).map { .endpointChanged($0) }
        case "endpoint_deleted":
            return .endpointDeleted(id: reference.subject, tenantID: tenant)
        case "source":
            return try await source(id: reference.subject, tenant: tenant).map { .sourceChanged($0) }
        case "source_deleted":
            return .sourceDeleted(id: reference.subject, tenantID: tenant)
        default:
            return nil
        }
    }
}
