import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// Claims due deliveries of enabled endpoints under a lease, in one write transaction.
    ///
    /// Candidates are, per enabled endpoint not in `excludedEndpointIDs`, its first
    /// `perEndpointLimit` waiting deliveries (`pending` or `scheduled`) due by `now`, found by one
    /// index seek each, plus in-flight deliveries whose lease expired by `now`. They are taken
    /// oldest due first (insertion order on a tie), at most `perEndpointLimit` per endpoint and
    /// `limit` in all, and become `in_flight` until `now + leaseDuration`. The cost grows with
    /// the number of endpoints and the size of the claim, not with the backlog: `CROSS JOIN`
    /// keeps endpoints as the outer loop, each probing the `deliveries_waiting` index.
    public func claimDueDeliveries(_ request: ClaimRequest) async throws -> [DeliveryJob] {
        guard request.limit > 0, request.perEndpointLimit > 0 else { return [] }
        let now = request.now.unixSeconds
        let excluded = Array(request.excludedEndpointIDs)
        return try await write { db in
            let expired = try Row.fetchAll(
                db, sql: Self.expiredLeasesSQL(excluding: excluded.count), arguments: [now] + StatementArguments(excluded))
            var waitingArguments: StatementArguments = [now, request.perEndpointLimit]
            waitingArguments += StatementArguments(excluded)
            waitingArguments += [request.limit + expired.count]
            let waiting = try Row.fetchAll(db, sql: Self.waitingSQL(excluding: excluded.count), arguments: waitingArguments)
            let chosen = Self.choose(expired + waiting, limit: request.limit, perEndpoint: request.perEndpointLimit)
            guard !chosen.isEmpty else { return [] }

            let lease = request.now.addingTimeInterval(request.leaseDuration)
            let token = Int64.random(in: 1...Int64.max)
            let claim = try db.cachedStatement(
                sql: "UPDATE deliveries SET state = 'in_flight', lease_expires_at = ?, lease_token = ?, updated_at = ? WHERE seq = ?")
            var deliveries: [Delivery] = []
            for row in chosen {
                try claim.execute(arguments: [lease.unixSeconds, token, now, row["seq"] as Int64])
                var delivery = Rows.delivery(row)
                delivery.state = .inFlight
                delivery.leaseExpiresAt = lease
                delivery.leaseToken = token
                delivery.updatedAt = request.now
                deliveries.append(delivery)
            }
            let events = try Self.fetchByID(db, table: "events", ids: Set(deliveries.map(\.eventID)), Rows.event)
            let endpoints = try Self.fetchByID(db, table: "endpoints", ids: Set(deliveries.map(\.endpointID))) {
                try Rows.endpoint($0, sealer: self.sealer)
            }
            return deliveries.compactMap { delivery in
                guard let event = events[delivery.eventID], let endpoint = endpoints[delivery.endpointID] else { return nil }
                return DeliveryJob(delivery: delivery, event: event, endpoint: endpoint)
            }
        }
    }

    /// In-flight deliveries of enabled endpoints whose lease expired. Arguments: now, then the
    /// excluded endpoint ids.
    static func expiredLeasesSQL(excluding count: Int) -> String {
        """
        SELECT d.* FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
        WHERE d.state = 'in_flight' AND d.lease_expires_at <= ?1 AND e.enabled = 1
        AND (e.throttled_until IS NULL OR e.throttled_until <= ?1) \(exclusion(count))
        """
    }

    /// Each enabled endpoint's first waiting deliveries due by now, soonest first. Arguments:
    /// now, the per-endpoint limit, the excluded endpoint ids, the overall limit.
    static func waitingSQL(excluding count: Int) -> String {
        """
        SELECT d.* FROM endpoints e CROSS JOIN deliveries d
        WHERE d.seq IN (
            SELECT w.seq FROM deliveries w
            WHERE w.endpoint_id = e.id AND w.state IN ('pending', 'scheduled') AND w.next_attempt_at <= ?1
            ORDER BY w.next_attempt_at, w.seq LIMIT ?2)
        AND e.enabled = 1 AND (e.throttled_until IS NULL OR e.throttled_until <= ?1) \(exclusion(count))
        ORDER BY d.next_attempt_at, d.seq LIMIT ?
        """
    }

    private static func exclusion(_ count: Int) -> String {
        count == 0 ? "" : "AND e.id NOT IN (\(Array(repeating: "?", count: count).joined(separator: ",")))"
    }

    /// Candidates soonest due first, at most `perEndpoint` per endpoint and `limit` in all.
    private static func choose(_ candidates: [Row], limit: Int, perEndpoint: Int) -> [Row] {
        let ordered = candidates.sorted { lhs, rhs in
            let left = lhs["next_attempt_at"] as Double? ?? -.infinity
            let right = rhs["next_attempt_at"] as Double? ?? -.infinity
            return left != right ? left < right : (lhs["seq"] as Int64) < (rhs["seq"] as Int64)
        }
        var perEndpointCount: [String: Int] = [:]
        var chosen: [Row] = []
        for row in ordered where chosen.count < limit {
            let endpointID: String = row["endpoint_id"]
            guard perEndpointCount[endpointID, default: 0] < perEndpoint else { continue }
            perEndpointCount[endpointID, default: 0] += 1
            chosen.append(row)
        }
        return chosen
    }

    /// Rows of `table` whose `id` is in `ids`, decoded and keyed by id, in one query per 500 ids.
    static func fetchByID<T>(_ db: Database, table: String, ids: Set<String>, _ decode: (Row) throws -> T) throws -> [String: T] {
        var result: [String: T] = [:]
        let all = Array(ids)
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = Array(all[start..<min(start + 500, all.count)])
            let placeholders = chunk.map { _ in "?" }.joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE id IN (\(placeholders))", arguments: StatementArguments(chunk)) {
                result[row["id"]] = try decode(row)
            }
        }
        return result
    }

    /// The earliest `next_attempt_at` of a pending or scheduled delivery of an enabled endpoint,
    /// or the earliest lease expiry of an in-flight one of an enabled endpoint; `nil` when there
    /// is nothing to wait for. One index seek per enabled endpoint.
    public func nextDueDate() async throws -> Date? {
        try await read { db in
            let due = try Double.fetchOne(
                db,
                sql: """
                    SELECT MIN(t) FROM (
                        SELECT (SELECT w.next_attempt_at FROM deliveries w
                                WHERE w.endpoint_id = e.id AND w.state IN ('pending', 'scheduled')
                                ORDER BY w.next_attempt_at LIMIT 1) AS t
                        FROM endpoints e WHERE e.enabled = 1
                        UNION ALL
                        SELECT MIN(d.lease_expires_at) FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
                        WHERE d.state = 'in_flight' AND e.enabled = 1)
                    """)
            return due.map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Makes every in-flight delivery due at `now` (`pending`), or `paused` when its endpoint
    /// is disabled; returns how many. Used at start-up by a single node, whose in-flight rows
    /// can only be left over from a crash.
    public func requeueInFlight(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE deliveries SET
                        state = CASE WHEN EXISTS (SELECT 1 FROM endpoints e WHERE e.id = deliveries.endpoint_id AND e.enabled = 1)
                                THEN 'pending' ELSE 'paused' END,
                        next_attempt_at = ?1, lease_expires_at = NULL, lease_token = NULL, updated_at = ?1
                    WHERE state = 'in_flight'
                    """,
                arguments: [now.unixSeconds])
            return db.changesCount
        }
    }
}
