import Foundation
import GRDB
import SwitchboardCore

extension SQLiteStore {
    /// One dispatcher holds the store (``DispatchLock``), so a publish may claim for it.
    public var claimsInPublish: Bool { true }

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
        let excluded = JSONText.array(request.excludedEndpointIDs.sorted())
        return try await write { db in
            let expired = try Row.fetchAll(db.cachedStatement(sql: Self.expiredLeasesSQL), arguments: [now, excluded])
            let waiting = try Row.fetchAll(
                db.cachedStatement(sql: Self.waitingSQL), arguments: [now, request.perEndpointLimit, excluded, request.limit + expired.count])
            let candidates = (expired + waiting).map { row in Candidate(seq: row[0], delivery: Rows.delivery(row, from: 1)) }
            let chosen = Self.choose(candidates, limit: request.limit, perEndpoint: request.perEndpointLimit)
            guard !chosen.isEmpty else { return [] }

            let lease = request.now.addingTimeInterval(request.leaseDuration)
            let token = Int64(bitPattern: RandomBytes.uint64() >> 1) | 1
            let deliveries = try Self.lease(chosen, token: token, until: lease, now: request.now, db)
            let events = try Self.events(of: deliveries, db)
            let endpoints = try Self.fetchByID(db, table: "endpoints", ids: Set(deliveries.map(\.endpointID)), id: \.id) {
                try Rows.endpoint($0, sealer: self.sealer)
            }
            return deliveries.compactMap { delivery in
                guard let event = events[delivery.eventID], let endpoint = endpoints[delivery.endpointID] else { return nil }
                return DeliveryJob(delivery: delivery, event: event, endpoint: endpoint)
            }
        }
    }

    /// Takes `claim`'s deliveries (see ``insertEvents(_:claiming:)``), inside the publish's
    /// transaction; `known` holds events already at hand (the batch's own).
    /// Also returns the endpoints that have due deliveries left waiting (one more than their
    /// limit was found).
    static func claim(
        _ claim: PublishClaim, _ db: Database, events known: [String: Event]
    ) throws -> (claimed: [ClaimedDelivery], stillWaiting: Set<String>) {
        let now = claim.now.unixSeconds
        var chosen: [Candidate] = []
        var stillWaiting = Set<String>()
        let statement = try db.cachedStatement(sql: endpointWaitingSQL)
        for (endpointID, limit) in claim.limits.sorted(by: { $0.key < $1.key }) where limit > 0 {
            let rows = try Row.fetchAll(statement, arguments: [endpointID, now, limit + 1])
            if rows.count > limit { stillWaiting.insert(endpointID) }
            for row in rows.prefix(limit) {
                chosen.append(Candidate(seq: row[0], delivery: Rows.delivery(row, from: 1)))
            }
        }
        guard !chosen.isEmpty else { return ([], stillWaiting) }
        let deliveries = try lease(chosen, token: claim.leaseToken, until: claim.leaseExpiresAt, now: claim.now, db)
        let events = try Self.events(of: deliveries.filter { known[$0.eventID] == nil }, db).merging(known) { stored, _ in stored }
        let claimed = deliveries.compactMap { delivery in events[delivery.eventID].map { ClaimedDelivery(delivery: delivery, event: $0) } }
        return (claimed, stillWaiting)
    }

    /// Puts `chosen` in flight under `token` until `until`, in one statement; returns them as claimed.
    private static func lease(_ chosen: [Candidate], token: Int64, until: Date, now: Date, _ db: Database) throws -> [Delivery] {
        try db.cachedStatement(
            sql: """
                UPDATE deliveries SET state = 'in_flight', lease_expires_at = ?, lease_token = ?, updated_at = ?
                WHERE seq IN (SELECT value FROM json_each(?))
                """
        ).execute(arguments: [until.unixSeconds, token, now.unixSeconds, seqList(chosen.map(\.seq))])
        return chosen.map { candidate in
            var delivery = candidate.delivery
            delivery.state = .inFlight
            delivery.leaseExpiresAt = until
            delivery.leaseToken = token
            delivery.updatedAt = now
            return delivery
        }
    }

    /// The events of `deliveries`, keyed by id, in one query.
    private static func events(of deliveries: [Delivery], _ db: Database) throws -> [String: Event] {
        try fetchByID(
            db, table: "events", columns: Rows.eventColumnNames.joined(separator: ", "), ids: Set(deliveries.map(\.eventID)), id: \.id
        ) { Rows.event($0, from: 0) }
    }

    /// A delivery that may be claimed, with the row id its claim updates.
    private struct Candidate {
        var seq: Int64
        var delivery: Delivery
    }

    /// What the candidate queries select, read by position: `seq`, then ``Rows/deliveryColumnNames``.
    private static let candidateColumns = "d.seq, " + Rows.selectList(Rows.deliveryColumnNames, alias: "d")

    /// In-flight deliveries of enabled endpoints whose lease expired. Arguments: now, then the
    /// excluded endpoint ids as a JSON array.
    static let expiredLeasesSQL = """
        SELECT \(candidateColumns) FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
        WHERE d.state = 'in_flight' AND d.lease_expires_at <= ?1 AND e.enabled = 1
        AND (e.throttled_until IS NULL OR e.throttled_until <= ?1) AND e.id NOT IN (SELECT value FROM json_each(?2))
        """

    /// One enabled endpoint's first waiting deliveries due by now, soonest first, unless it is
    /// throttled. Arguments: the endpoint id, now, the limit.
    static let endpointWaitingSQL = """
        SELECT \(candidateColumns) FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
        WHERE d.endpoint_id = ?1 AND d.state IN ('pending', 'scheduled') AND d.next_attempt_at <= ?2
        AND e.enabled = 1 AND (e.throttled_until IS NULL OR e.throttled_until <= ?2)
        ORDER BY d.next_attempt_at, d.seq LIMIT ?3
        """

    /// Each enabled endpoint's first waiting deliveries due by now, soonest first. Arguments:
    /// now, the per-endpoint limit, the excluded endpoint ids as a JSON array, the overall limit.
    static let waitingSQL = """
        SELECT \(candidateColumns) FROM endpoints e CROSS JOIN deliveries d
        WHERE d.seq IN (
            SELECT w.seq FROM deliveries w
            WHERE w.endpoint_id = e.id AND w.state IN ('pending', 'scheduled') AND w.next_attempt_at <= ?1
            ORDER BY w.next_attempt_at, w.seq LIMIT ?2)
        AND e.enabled = 1 AND (e.throttled_until IS NULL OR e.throttled_until <= ?1)
        AND e.id NOT IN (SELECT value FROM json_each(?3))
        ORDER BY d.next_attempt_at, d.seq LIMIT ?4
        """

    /// Candidates soonest due first, at most `perEndpoint` per endpoint and `limit` in all.
    private static func choose(_ candidates: [Candidate], limit: Int, perEndpoint: Int) -> [Candidate] {
        let ordered = candidates.sorted { first, second in
            let firstDue = first.delivery.nextAttemptAt ?? .distantPast, secondDue = second.delivery.nextAttemptAt ?? .distantPast
            return firstDue != secondDue ? firstDue < secondDue : first.seq < second.seq
        }
        var perEndpointCount: [String: Int] = [:]
        var chosen: [Candidate] = []
        for candidate in ordered where chosen.count < limit {
            let endpointID = candidate.delivery.endpointID
            guard perEndpointCount[endpointID, default: 0] < perEndpoint else { continue }
            perEndpointCount[endpointID, default: 0] += 1
            chosen.append(candidate)
        }
        return chosen
    }

    /// Rows of `table` whose `id` is in `ids`, selecting `columns`, decoded and keyed by `id`, in one query.
    static func fetchByID<T>(
        _ db: Database, table: String, columns: String = "*", ids: Set<String>, id: KeyPath<T, String>, _ decode: (Row) throws -> T
    ) throws -> [String: T] {
        guard !ids.isEmpty else { return [:] }
        var result: [String: T] = [:]
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM \(table) WHERE id IN (SELECT value FROM json_each(?))")
        for row in try Row.fetchAll(statement, arguments: [JSONText.array(Array(ids))]) {
            let decoded = try decode(row)
            result[decoded[keyPath: id]] = decoded
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
