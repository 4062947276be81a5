import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// The advisory lock namespace of per-endpoint claims (`pg_try_advisory_xact_lock(ns, hashtext(id))`).
    static let claimLockNamespace: Int32 = 0x7362_636C  // "sbcl"

    /// Claims due deliveries of enabled endpoints under a lease, in one transaction that any
    /// number of nodes may run at once.
    ///
    /// First, each enabled, unthrottled, not excluded endpoint is locked for the transaction
    /// with `pg_try_advisory_xact_lock`; an endpoint another node is claiming right now is
    /// skipped (its deliveries are left for the next round). Then, in a new snapshot that sees
    /// every claim committed before the lock was taken, each locked endpoint gets room for
    /// `min(perEndpointLimit, max_concurrency − deliveries in flight under an unexpired
    /// lease)`: the endpoint's concurrency limit holds across the cluster. A node that holds
    /// every unexpired lease of the endpoint itself (or none is held) gets `perEndpointLimit`
    /// instead and claims ahead, as on SQLite: its dispatcher sends at most `max_concurrency`
    /// of them at once, and no other node gets room while it holds more than that, so the
    /// limit still holds across the cluster while its slots never wait for a claim round trip.
    /// Leases name their holder (`lease_holder`, this store's ``claimant``). Its waiting
    /// deliveries due by `now` and its in-flight ones whose lease expired are taken with
    /// `FOR UPDATE SKIP LOCKED`, oldest due first, `limit` in all, and become `in_flight` until
    /// `now + leaseDuration` under a new lease token.
    public func claimDueDeliveries(_ request: ClaimRequest) async throws -> [DeliveryJob] {
        guard request.limit > 0, request.perEndpointLimit > 0 else { return [] }
        let now = request.now.unixSeconds
        let excluded = request.excludedEndpointIDs.sorted()
        let lease = request.now.addingTimeInterval(request.leaseDuration).unixSeconds
        let token = Int64(bitPattern: RandomBytes.uint64() >> 1) | 1
        let claimed = try await transaction { connection -> (deliveries: [PostgresRow], events: [PostgresRow], endpoints: [PostgresRow]) in
            let locked = try await connection.rows(
                """
                SELECT e.id FROM endpoints e
                WHERE e.enabled AND (e.throttled_until IS NULL OR e.throttled_until <= \(now))
                AND NOT (e.id = ANY(\(excluded)))
                AND EXISTS (
                    SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id AND d.state IN ('pending', 'scheduled')
                    AND d.next_attempt_at <= \(now)
                    UNION ALL
                    SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id AND d.state = 'in_flight' AND d.lease_expires_at <= \(now))
                AND pg_try_advisory_xact_lock(\(Self.claimLockNamespace), hashtext(e.id))
                """, logger
            ).map { try $0.decode(String.self) }
            guard !locked.isEmpty else { return ([], [], []) }
            let deliveries = try await connection.rows(
                """
                WITH eligible AS MATERIALIZED (
                    SELECT e.id, CASE WHEN held.others = 0 THEN \(request.perEndpointLimit)::bigint
                        ELSE LEAST(\(request.perEndpointLimit)::bigint, e.max_concurrency - held.total) END AS room
                    FROM endpoints e CROSS JOIN LATERAL (
                        SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE f.lease_holder IS DISTINCT FROM \(claimant)) AS others
                        FROM deliveries f
                        WHERE f.endpoint_id = e.id AND f.state = 'in_flight' AND f.lease_expires_at > \(now)) held
                    WHERE e.id = ANY(\(locked))
                ),
                waiting AS (
                    SELECT w.seq, w.endpoint_id, w.next_attempt_at FROM eligible el CROSS JOIN LATERAL (
                        SELECT d.seq, d.endpoint_id, d.next_attempt_at FROM deliveries d
                        WHERE d.endpoint_id = el.id AND d.state IN ('pending', 'scheduled') AND d.next_attempt_at <= \(now)
                        ORDER BY d.next_attempt_at, d.seq LIMIT GREATEST(el.room, 0)
                        FOR UPDATE SKIP LOCKED) w
                ),
                expired AS (
                    SELECT x.seq, x.endpoint_id, x.next_attempt_at FROM eligible el CROSS JOIN LATERAL (
                        SELECT d.seq, d.endpoint_id, d.next_attempt_at FROM deliveries d
                        WHERE d.endpoint_id = el.id AND d.state = 'in_flight' AND d.lease_expires_at <= \(now)
                        ORDER BY d.next_attempt_at NULLS FIRST, d.seq LIMIT GREATEST(el.room, 0)
                        FOR UPDATE SKIP LOCKED) x
                ),
                ranked AS (
                    SELECT c.seq, c.endpoint_id, c.next_attempt_at,
                        row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.next_attempt_at NULLS FIRST, c.seq) AS rank
                    FROM (SELECT * FROM waiting UNION ALL SELECT * FROM expired) c
                ),
                chosen AS (
                    SELECT r.seq FROM ranked r JOIN eligible el ON el.id = r.endpoint_id WHERE r.rank <= el.room
                    ORDER BY r.next_attempt_at NULLS FIRST, r.seq LIMIT \(request.limit)
                )
                UPDATE deliveries d SET state = 'in_flight', lease_expires_at = \(lease), lease_token = \(token),
                    lease_holder = \(claimant), updated_at = \(now)
                FROM chosen WHERE d.seq = chosen.seq
                RETURNING d.*
                """, logger)
            guard !deliveries.isEmpty else { return ([], [], []) }
            var eventIDs = Set<String>()
            var endpointIDs = Set<String>()
            for row in deliveries {
                let r = row.makeRandomAccess()
                eventIDs.insert(try r.string("event_id"))
                endpointIDs.insert(try r.string("endpoint_id"))
            }
            let events = try await connection.rows("SELECT * FROM events WHERE id = ANY(\(Array(eventIDs)))", logger)
            let endpoints = try await connection.rows("SELECT * FROM endpoints WHERE id = ANY(\(Array(endpointIDs)))", logger)
            return (deliveries, events, endpoints)
        }
        var events: [String: Event] = [:]
        for row in claimed.events {
            let event = try PostgresRows.event(row)
            events[event.id] = event
        }
        var endpoints: [String: Endpoint] = [:]
        for row in claimed.endpoints {
            let endpoint = try mappedSealing { try PostgresRows.endpoint(row, sealer: sealer) }
            endpoints[endpoint.id] = endpoint
        }
        // Oldest due first, insertion order on a tie.
        let deliveries = try claimed.deliveries.map { row in
            (delivery: try PostgresRows.delivery(row), seq: try row.makeRandomAccess()["seq"].decode(Int64.self))
        }.sorted {
            let left = $0.delivery.nextAttemptAt ?? .distantPast
            let right = $1.delivery.nextAttemptAt ?? .distantPast
            return left != right ? left < right : $0.seq < $1.seq
        }.map(\.delivery)
        return deliveries.compactMap { delivery in
            guard let event = events[delivery.eventID], let endpoint = endpoints[delivery.endpointID] else { return nil }
            return DeliveryJob(delivery: delivery, event: event, endpoint: endpoint)
        }
    }

    /// Runs `body`, mapping a secret that cannot be opened to ``StoreError/unavailable(_:)``.
    func mappedSealing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw mapped(error) }
    }

    /// One row per rate-limited endpoint holds its next free start; each reservation moves it
    /// on by `1 / rate` in one statement, so nodes sending to one endpoint share one schedule.
    public func reserveSendStart(endpointID: String, perSecond rate: Int, now: Date) async throws -> Date? {
        let interval = 1 / Double(max(1, rate))
        let rows = try await rows(
            """
            INSERT INTO endpoint_pace AS p (endpoint_id, next_start) VALUES (\(endpointID), \(now.unixSeconds) + \(interval))
            ON CONFLICT (endpoint_id) DO UPDATE SET next_start = GREATEST(p.next_start, \(now.unixSeconds)) + \(interval)
            RETURNING p.next_start - \(interval)
            """)
        return try rows.first.map { Date(timeIntervalSince1970: try $0.decode(Double.self)) } ?? now
    }

    /// The earliest `next_attempt_at` of a pending or scheduled delivery of an enabled
    /// endpoint, or the earliest lease expiry of an in-flight one; `nil` when there is none.
    public func nextDueDate() async throws -> Date? {
        let rows = try await rows(
            """
            SELECT MIN(t) FROM (
                SELECT (SELECT w.next_attempt_at FROM deliveries w
                        WHERE w.endpoint_id = e.id AND w.state IN ('pending', 'scheduled')
                        ORDER BY w.next_attempt_at LIMIT 1) AS t
                FROM endpoints e WHERE e.enabled
                UNION ALL
                SELECT MIN(d.lease_expires_at) FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
                WHERE d.state = 'in_flight' AND e.enabled) due
            """)
        return try rows.first?.decode(Double?.self).map { Date(timeIntervalSince1970: $0) }
    }

    /// Makes every in-flight delivery due at `now`. Never call it on a store other nodes use:
    /// their in-flight rows are theirs (an expired lease is claimable anyway). It exists for
    /// tools and for a single node that knows it is alone.
    public func requeueInFlight(now: Date) async throws -> Int {
        try await rows(
            """
            UPDATE deliveries SET
                state = CASE WHEN EXISTS (SELECT 1 FROM endpoints e WHERE e.id = deliveries.endpoint_id AND e.enabled)
                        THEN 'pending' ELSE 'paused' END,
                next_attempt_at = \(now.unixSeconds), lease_expires_at = NULL, lease_token = NULL, lease_holder = NULL,
                updated_at = \(now.unixSeconds)
            WHERE state = 'in_flight' RETURNING 1
            """
        ).count
    }
}
