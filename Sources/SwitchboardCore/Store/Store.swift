import Foundation

/// Durable storage for everything Switchboard knows.
///
/// Implementations: `SQLiteStore` (GRDB, the embedded default). Every method that takes a
/// tenant scopes its query by it; another tenant's id behaves as if it did not exist.
/// Methods that change several rows do so in one transaction.
public protocol Store: Sendable {
    // MARK: Health

    /// Throws when the store cannot serve queries.
    func checkHealth() async throws

    // MARK: API keys

    func insertAPIKey(_ key: APIKey) async throws
    /// The unrevoked key with this hash, in any tenant.
    func apiKey(hash: String) async throws -> APIKey?
    /// Keys of `tenant`, revoked ones included, oldest first; every tenant's when `nil`.
    func apiKeys(tenant: TenantID?) async throws -> [APIKey]
    /// Marks a key revoked; `false` when there is no such unrevoked key in `tenant` (any tenant when `nil`).
    func revokeAPIKey(id: String, tenant: TenantID?, at date: Date) async throws -> Bool
    /// Number of unrevoked keys with the admin scope, in every tenant.
    func activeAdminKeyCount() async throws -> Int
    /// Stores `key` only when no unrevoked admin key exists, atomically with that check, so
    /// that of several nodes starting at once on one empty store exactly one creates the first
    /// admin key. Returns whether `key` was stored. (A default for a store one process owns.)
    func insertFirstAdminKey(_ key: APIKey) async throws -> Bool

    // MARK: Endpoints

    /// Throws ``StoreError/conflict(_:)`` when the id is taken.
    func insertEndpoint(_ endpoint: Endpoint) async throws
    func endpoint(id: String, tenant: TenantID) async throws -> Endpoint?
    /// Endpoints of `tenant` (every tenant's when `nil`), oldest first.
    func endpoints(tenant: TenantID?) async throws -> [Endpoint]
    /// Writes the configuration of the stored endpoint with the same id and tenant (never its
    /// enabled state or health: see ``setEndpointEnabled(id:tenant:enabled:reason:at:)``);
    /// throws ``StoreError/notFound(_:)``.
    func updateEndpoint(_ endpoint: Endpoint) async throws
    /// Disables the endpoint and pauses its waiting deliveries, or enables it and makes its
    /// paused deliveries due at `date` in their original order, in one transaction. Does
    /// nothing when it already is in that state. Returns the endpoint as stored, `nil` when absent.
    func setEndpointEnabled(id: String, tenant: TenantID, enabled: Bool, reason: String?, at date: Date) async throws -> Endpoint?
    /// Deletes the endpoint and cancels its unfinished deliveries; `false` when absent.
    func deleteEndpoint(id: String, tenant: TenantID, at date: Date) async throws -> Bool

    // MARK: Sources

    /// Throws ``StoreError/conflict(_:)`` when the id or slug is taken.
    func insertSource(_ source: Source) async throws
    func source(id: String, tenant: TenantID) async throws -> Source?
    /// The source with this ingest slug, in any tenant.
    func source(slug: String) async throws -> Source?
    /// Sources of `tenant` (every tenant's when `nil`), oldest first.
    func sources(tenant: TenantID?) async throws -> [Source]
    /// Writes the configuration of the stored source with the same id and tenant (name,
    /// secrets, options, retention; never its counters); throws ``StoreError/notFound(_:)``.
    func updateSource(_ source: Source) async throws
    /// Deletes the source; its stored events stay until retention removes them. `false` when absent.
    func deleteSource(id: String, tenant: TenantID) async throws -> Bool
    /// Counts a refused inbound request and keeps its reason; returns the source as stored.
    func recordSourceRejection(id: String, reason: String, at date: Date) async throws -> Source?
    /// Counts many refused inbound requests in one write: each tally adds its count to its
    /// source and keeps its latest reason. Returns the sources as stored; absent ones are left out.
    func recordSourceRejections(_ tallies: [SourceRejectionTally]) async throws -> [Source]

    // MARK: Publishing

    /// Inserts a batch of events with their deliveries in one transaction.
    ///
    /// Each delivery starts `pending` when its endpoint is enabled and `paused` when it is not,
    /// decided inside the transaction. An event whose idempotency key was used by an event of
    /// the same tenant created at or after its ``NewEvent/idempotencyWindowStart`` is not
    /// inserted: the outcome is ``InsertOutcome/duplicate(_:)`` when the request hash matches
    /// and ``InsertOutcome/idempotencyConflict`` otherwise. One item's outcome never fails the
    /// others. Inserting an event with a ``Event/sourceID`` counts it as received by the source.
    func insertEvents(_ batch: [NewEvent]) async throws -> [InsertOutcome]
    /// ``insertEvents(_:)``, then, in the same transaction, the claim (when the store
    /// ``claimsInPublish``; otherwise nothing is claimed).
    func insertEvents(_ batch: [NewEvent], claiming claim: PublishClaim?) async throws -> PublishCommit

    // MARK: Reading events, deliveries and attempts

    func event(id: String, tenant: TenantID) async throws -> Event?
    /// A page of events matching every filter of `query`, newest first (ties: latest
    /// inserted first), and in ``Page/total`` the number of events matching, counted by the store.
    ///
    /// Runs over the whole history with indexes: ``EventQuery/deliveryStatus`` `failed` means
    /// some delivery of the event is `failed`, `retrying` that some delivery is `scheduled`
    /// with `attemptCount > 0`, the other words the event status of that name;
    /// ``EventQuery/since`` is inclusive and ``EventQuery/until`` exclusive on `createdAt`;
    /// ``EventQuery/text`` matches when every word is a case-insensitive substring of the
    /// event type or the event id.
    func events(_ query: EventQuery) async throws -> Page<Event>
    func delivery(id: String, tenant: TenantID) async throws -> Delivery?
    /// The event's deliveries, oldest first.
    func deliveries(eventID: String, tenant: TenantID) async throws -> [Delivery]
    /// The delivery's attempts, first attempt first.
    func attempts(deliveryID: String, tenant: TenantID) async throws -> [Attempt]
    /// Every attempt of the event's deliveries, oldest first.
    func attempts(eventID: String, tenant: TenantID) async throws -> [Attempt]
    /// Scheduled, pending and paused deliveries, soonest first (paused last); every tenant's when `nil`.
    func retryQueue(tenant: TenantID?, limit: Int) async throws -> [Delivery]
    /// Up to `limit` deliveries that failed for good (`failed`) or are `scheduled` after a
    /// failed attempt (`attemptCount > 0`), newest `updatedAt` first (ties: latest inserted
    /// first), each with its event's type and its endpoint's URL (`nil` when the endpoint was
    /// deleted); every tenant's when `tenant` is `nil`.
    func failedDeliveries(tenant: TenantID?, limit: Int) async throws -> [FailedDelivery]
    /// The retry queue per endpoint: for each endpoint with a `pending`, `paused` or
    /// `scheduled` delivery, the count of each (``QueueGroup/waiting`` is `pending`) and the
    /// earliest `nextAttemptAt` of its pending and scheduled ones. Largest total first (ties
    /// by endpoint id); every tenant's when `tenant` is `nil` (the group's tenant and URL are
    /// the endpoint's). One grouped pass over an index,
    /// so it stays fast with a million waiting deliveries.
    func queueSummary(tenant: TenantID?) async throws -> [QueueGroup]
    /// One endpoint's queue: up to `limit` of its `pending` and `scheduled` deliveries, soonest
    /// `nextAttemptAt` first (ties in insertion order), then its `paused` ones in insertion
    /// order (the order they resume in).
    /// Only the endpoint's deliveries in `tenant` when given; empty when it has none.
    func queuedDeliveries(endpointID: String, tenant: TenantID?, limit: Int) async throws -> [Delivery]
    /// What a whole id names: an event (`evt_`), delivery (`dlv_`), attempt (`att_`),
    /// endpoint (`ep_`) or source (`src_`), with its tenant and the event, endpoint and
    /// delivery it belongs to (see ``LocatedID``). `nil` when no such id exists in `tenant`
    /// (in any tenant when `nil`) or the prefix is none of these.
    func locate(id: String, tenant: TenantID?) async throws -> LocatedID?

    // MARK: Dispatching

    /// Claims up to `request.limit` due deliveries of enabled endpoints under a lease.
    ///
    /// Due means `pending` or `scheduled` with `nextAttemptAt <= request.now`, or `in_flight`
    /// with an expired lease, of an endpoint that is not throttled past `request.now`. Claimed
    /// deliveries become `in_flight` with `leaseExpiresAt = request.now +
    /// request.leaseDuration` and a new ``Delivery/leaseToken``. At most
    /// `request.perEndpointLimit` deliveries of one endpoint are claimed, none of
    /// `request.excludedEndpointIDs`, oldest due first. Maps onto `FOR UPDATE SKIP LOCKED` in
    /// a shared database.
    func claimDueDeliveries(_ request: ClaimRequest) async throws -> [DeliveryJob]
    /// The earliest `nextAttemptAt` of a pending or scheduled delivery of an enabled endpoint,
    /// or the earliest lease expiry of an in-flight one.
    func nextDueDate() async throws -> Date?
    /// Makes every in-flight delivery due at `now`: used at start-up by a single-node store,
    /// whose in-flight rows can only be left over from a crash. Returns how many.
    func requeueInFlight(now: Date) async throws -> Int
    /// Records attempts and the resulting delivery, endpoint and event changes in one
    /// transaction. A delivery whose new state is `pending` or `scheduled` becomes `paused`
    /// instead when its endpoint is disabled by then.
    ///
    /// Fenced: a record applies only while the delivery still carries the record's lease
    /// token. Otherwise (the lease lapsed and another claim took the delivery over) the
    /// attempt is stored flagged ``Attempt/superseded`` and changes nothing else. The store
    /// numbers attempts, so numbers stay unique per delivery.
    func recordAttempts(_ records: [AttemptRecord]) async throws -> AttemptRecording
    /// Makes claimed, unsent deliveries due again at once, where the token still holds.
    func releaseClaims(_ releases: [ClaimRelease], at date: Date) async throws
    /// Whether a claim counts deliveries sent but not yet recorded against their endpoint's
    /// room (a shared store holding `max_concurrency` across nodes does): the dispatcher then
    /// claims again after each record commit instead of waiting for its next poll.
    var claimsWaitForRecords: Bool { get }
    /// Whether ``insertEvents(_:claiming:)`` claims, so a publish hands its node's dispatcher
    /// the deliveries it has room for without a claim of its own. A store shared by several
    /// nodes, which holds `max_concurrency` across them at claim time, does not.
    var claimsInPublish: Bool { get }
    /// Reserves the next start of a send to `endpointID` under its `rate_limit_per_second`,
    /// for every node sharing this store: the later of `now` and one `1 / rate` after the
    /// previous reservation. `nil` when the store is one process's own (SQLite, locked to one
    /// dispatcher), which paces in memory.
    func reserveSendStart(endpointID: String, perSecond rate: Int, now: Date) async throws -> Date?

    // MARK: Operations

    /// Moves the endpoint's pending and scheduled deliveries to `paused`; returns how many.
    func pauseDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int
    /// Moves the endpoint's paused deliveries to `pending`, due at `date`, in their original
    /// order; returns how many.
    func resumeDeliveries(endpointID: String, tenant: TenantID, at date: Date) async throws -> Int
    /// Makes one delivery due now whatever its state (except in flight or cancelled), and the
    /// event `QUEUED` again. Returns the updated delivery, `nil` when absent.
    func requeueDelivery(id: String, tenant: TenantID, at date: Date) async throws -> Delivery?
    /// Requeues the endpoint's failed deliveries created in `since..<until`; returns them.
    func requeueFailedDeliveries(
        endpointID: String, tenant: TenantID, since: Date, until: Date, at date: Date
    ) async throws -> [Delivery]
    /// Requeues the event's `failed` deliveries whose endpoint exists and is enabled, due at
    /// `date` (state `pending`, attempt count kept), and recomputes the event's status, in one
    /// transaction. Returns the deliveries as stored, oldest first; empty when the event is
    /// absent from `tenant` or has no such delivery.
    func requeueFailedDeliveries(eventID: String, tenant: TenantID, at date: Date) async throws -> [Delivery]
    /// Sets an event's status (used to mark a replayed original `REPLAYED`).
    func setEventStatus(id: String, tenant: TenantID, status: Event.Status) async throws

    // MARK: Retention

    /// Deletes up to `request.limit` expired events with their deliveries and attempts, oldest
    /// first, in one short transaction. An event expires when it is older than its source's
    /// retention (the default for events without a source or with no source setting) and none
    /// of its deliveries is pending, in flight, scheduled or paused.
    func purgeExpiredEvents(_ request: PurgeRequest) async throws -> PurgeResult

    // MARK: Figures

    /// Counts for `tenant` since `since`.
    func usage(tenant: TenantID, since: Date) async throws -> Usage
    /// Current queue depth and endpoint states, for every tenant.
    func gauges() async throws -> StoreGauges
}

extension Store {
    public func insertFirstAdminKey(_ key: APIKey) async throws -> Bool {
        guard try await activeAdminKeyCount() == 0 else { return false }
        try await insertAPIKey(key)
        return true
    }

    public var claimsWaitForRecords: Bool { false }

    public var claimsInPublish: Bool { false }

    public func insertEvents(_ batch: [NewEvent], claiming claim: PublishClaim?) async throws -> PublishCommit {
        PublishCommit(outcomes: try await insertEvents(batch))
    }

    public func reserveSendStart(endpointID: String, perSecond rate: Int, now: Date) async throws -> Date? { nil }
}
