import Foundation

/// An event to insert, with the endpoints it fans out to.
public struct NewEvent: Sendable, Hashable {
    public var event: Event
    /// One delivery per subscribed endpoint; ids and timestamps already assigned.
    public var deliveries: [Delivery]
    /// Hex SHA-256 of the request that created the event, compared on idempotency-key reuse.
    public var requestHash: String?
    /// Events with the same key created before this instant no longer count.
    public var idempotencyWindowStart: Date?

    public init(event: Event, deliveries: [Delivery], requestHash: String? = nil, idempotencyWindowStart: Date? = nil) {
        self.event = event
        self.deliveries = deliveries
        self.requestHash = requestHash
        self.idempotencyWindowStart = idempotencyWindowStart
    }
}

/// What became of one ``NewEvent``.
public enum InsertOutcome: Sendable, Hashable {
    /// Stored, with the deliveries as stored (state decided by the endpoint's state).
    case inserted(Event, [Delivery])
    /// The idempotency key was already used with the same request: the original event and its deliveries.
    case duplicate(Event, [Delivery])
    /// The idempotency key was already used with a different request.
    case idempotencyConflict
}

/// Filters and window for listing events. Every filter given must match (they combine with AND).
public struct EventQuery: Sendable, Hashable {
    /// `nil` lists every tenant's events (console only).
    public var tenant: TenantID?
    public var limit: Int
    public var offset: Int
    /// Only events with a delivery to this endpoint.
    public var endpointID: String?
    /// Only events that came in through this source (replays of them included).
    public var sourceID: String?
    /// Only events with this event status (the API's `status`).
    public var status: Event.Status?
    /// Exact name, or `prefix.*`.
    public var eventType: String?
    /// Only events matching this delivery-level status word (see ``DeliveryStatusFilter``).
    public var deliveryStatus: DeliveryStatusFilter?
    /// Only events created at or after this instant.
    public var since: Date?
    /// Only events created before this instant.
    public var until: Date?
    /// Free text: every whitespace-separated word must appear, case-insensitively, as a
    /// substring of the event's type or of its id. Empty or blank text matches everything.
    public var text: String?

    public init(
        tenant: TenantID?, limit: Int = 50, offset: Int = 0, endpointID: String? = nil,
        sourceID: String? = nil, status: Event.Status? = nil, eventType: String? = nil,
        deliveryStatus: DeliveryStatusFilter? = nil, since: Date? = nil, until: Date? = nil, text: String? = nil
    ) {
        self.tenant = tenant
        self.limit = limit
        self.offset = offset
        self.endpointID = endpointID
        self.sourceID = sourceID
        self.status = status
        self.eventType = eventType
        self.deliveryStatus = deliveryStatus
        self.since = since
        self.until = until
        self.text = text
    }

    /// The free-text words, lowercased; empty when there is no text.
    public var textWords: [String] {
        (text ?? "").lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
    }
}

/// A window of rows and the total number of rows matching.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

extension Page: Equatable where Item: Equatable {}

/// Which deliveries a dispatcher wants to claim.
public struct ClaimRequest: Sendable, Hashable {
    public var now: Date
    public var limit: Int
    public var perEndpointLimit: Int
    public var leaseDuration: TimeInterval
    public var excludedEndpointIDs: Set<String>

    public init(now: Date, limit: Int, perEndpointLimit: Int, leaseDuration: TimeInterval, excludedEndpointIDs: Set<String> = []) {
        self.now = now
        self.limit = limit
        self.perEndpointLimit = perEndpointLimit
        self.leaseDuration = leaseDuration
        self.excludedEndpointIDs = excludedEndpointIDs
    }
}

/// A claim a publish batch makes in its own transaction, for the dispatcher of the node
/// publishing: each listed endpoint's waiting deliveries due by `now`, oldest due first (older
/// ones before the batch's own), up to its limit, in flight under one lease.
public struct PublishClaim: Sendable, Hashable {
    public var now: Date
    /// Most deliveries to take per endpoint: the room its dispatcher reserved.
    public var limits: [String: Int]
    public var leaseToken: Int64
    public var leaseExpiresAt: Date

    public init(now: Date, limits: [String: Int], leaseToken: Int64, leaseExpiresAt: Date) {
        self.now = now
        self.limits = limits
        self.leaseToken = leaseToken
        self.leaseExpiresAt = leaseExpiresAt
    }
}

/// What a publish batch stored, and what its ``PublishClaim`` took.
public struct PublishCommit: Sendable, Hashable {
    /// One per item, in order; a claimed delivery of the batch shows as claimed.
    public var outcomes: [InsertOutcome]
    /// The deliveries claimed, oldest due first, each with its event.
    public var claimed: [ClaimedDelivery]
    /// Endpoints of the claim that still have due deliveries waiting after it.
    public var stillWaiting: Set<String>

    public init(outcomes: [InsertOutcome], claimed: [ClaimedDelivery] = [], stillWaiting: Set<String> = []) {
        self.outcomes = outcomes
        self.claimed = claimed
        self.stillWaiting = stillWaiting
    }
}

/// A delivery a publish claimed, with its event (its endpoint is the publisher's to add).
public struct ClaimedDelivery: Sendable, Hashable {
    public var delivery: Delivery
    public var event: Event

    public init(delivery: Delivery, event: Event) {
        self.delivery = delivery
        self.event = event
    }
}

/// A claimed delivery with what is needed to send it.
///
/// A class, not a struct: a job is handed from the claim to the ledger, a slot and the recorder,
/// and copying a delivery, an event and an endpoint by value retained each of their strings at
/// every hand-off. It is immutable, so sharing it is safe.
public final class DeliveryJob: Sendable, Hashable {
    /// The delivery as claimed (state `in_flight`).
    public let delivery: Delivery
    public let event: Event
    public let endpoint: Endpoint

    public init(delivery: Delivery, event: Event, endpoint: Endpoint) {
        self.delivery = delivery
        self.event = event
        self.endpoint = endpoint
    }

    public static func == (lhs: DeliveryJob, rhs: DeliveryJob) -> Bool {
        lhs.delivery == rhs.delivery && lhs.event == rhs.event && lhs.endpoint == rhs.endpoint
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(delivery)
    }
}

/// A change to an endpoint's health that comes with an attempt.
public enum EndpointHealthChange: Sendable, Hashable {
    /// The attempt succeeded: the endpoint is no longer failing.
    case succeeded
    /// The attempt failed: the endpoint is failing since `failingSince` if it was not already.
    case failed(at: Date)
    /// Disable the endpoint and pause its deliveries (410 Gone, or failing for too long).
    case disable(reason: String, at: Date)
}

/// An attempt to store with the delivery state it leads to.
public struct AttemptRecord: Sendable, Hashable {
    public var attempt: Attempt
    /// The token of the claim the attempt was sent under: the write applies only while the
    /// delivery still carries it (see ``Delivery/leaseToken``).
    public var leaseToken: Int64?
    /// New state: `succeeded`, `scheduled`, `pending` or `failed`.
    public var deliveryState: Delivery.State
    public var nextAttemptAt: Date?
    public var endpointChange: EndpointHealthChange
    /// Hold every delivery of the endpoint until then (the receiver's `Retry-After`).
    public var throttleEndpointUntil: Date?

    public init(
        attempt: Attempt, leaseToken: Int64?, deliveryState: Delivery.State, nextAttemptAt: Date?,
        endpointChange: EndpointHealthChange, throttleEndpointUntil: Date? = nil
    ) {
        self.attempt = attempt
        self.leaseToken = leaseToken
        self.deliveryState = deliveryState
        self.nextAttemptAt = nextAttemptAt
        self.endpointChange = endpointChange
        self.throttleEndpointUntil = throttleEndpointUntil
    }
}

/// What a batch of ``AttemptRecord``s changed.
public struct AttemptRecording: Sendable, Hashable {
    /// The attempts as stored, in the order given: numbered by the store, unique per
    /// delivery, and ``Attempt/superseded`` when the lease had been taken over.
    public var attempts: [Attempt]
    /// The delivery state each attempt led to, `nil` for a superseded or skipped one.
    public var deliveryStates: [Delivery.State?]
    /// Events whose derived status changed.
    public var eventStatusChanges: [EventStatusChange]

    public init(attempts: [Attempt] = [], deliveryStates: [Delivery.State?] = [], eventStatusChanges: [EventStatusChange] = []) {
        self.attempts = attempts
        self.deliveryStates = deliveryStates
        self.eventStatusChanges = eventStatusChanges
    }
}

/// A claimed delivery handed back unsent, so it is due again at once.
public struct ClaimRelease: Sendable, Hashable {
    public var deliveryID: String
    public var leaseToken: Int64

    public init(deliveryID: String, leaseToken: Int64) {
        self.deliveryID = deliveryID
        self.leaseToken = leaseToken
    }

    /// The release of a claimed job, under the lease it was claimed with (`nil` without one).
    public init?(_ job: DeliveryJob) {
        guard let token = job.delivery.leaseToken else { return nil }
        self.init(deliveryID: job.delivery.id, leaseToken: token)
    }
}

/// An event whose derived status changed.
public struct EventStatusChange: Sendable, Hashable {
    public var eventID: String
    public var tenantID: TenantID
    public var status: Event.Status

    public init(eventID: String, tenantID: TenantID, status: Event.Status) {
        self.eventID = eventID
        self.tenantID = tenantID
        self.status = status
    }
}

/// A tenant's activity over a period.
public struct Usage: Sendable, Hashable, Codable {
    public var eventsPublished: Int
    public var deliveries: Int
    public var attempts: Int
    public var successfulAttempts: Int
    public var failedAttempts: Int

    public init(eventsPublished: Int = 0, deliveries: Int = 0, attempts: Int = 0, successfulAttempts: Int = 0, failedAttempts: Int = 0) {
        self.eventsPublished = eventsPublished
        self.deliveries = deliveries
        self.attempts = attempts
        self.successfulAttempts = successfulAttempts
        self.failedAttempts = failedAttempts
    }
}

/// Figures that describe the store right now, across tenants.
public struct StoreGauges: Sendable, Hashable {
    /// Pending and scheduled deliveries.
    public var queueDepth: Int
    public var pausedDeliveries: Int
    public var inFlightDeliveries: Int
    public var enabledEndpoints: Int
    public var failingEndpoints: Int
    public var disabledEndpoints: Int

    public init(
        queueDepth: Int = 0, pausedDeliveries: Int = 0, inFlightDeliveries: Int = 0,
        enabledEndpoints: Int = 0, failingEndpoints: Int = 0, disabledEndpoints: Int = 0
    ) {
        self.queueDepth = queueDepth
        self.pausedDeliveries = pausedDeliveries
        self.inFlightDeliveries = inFlightDeliveries
        self.enabledEndpoints = enabledEndpoints
        self.failingEndpoints = failingEndpoints
        self.disabledEndpoints = disabledEndpoints
    }
}

/// Which expired events to delete in one batch.
public struct PurgeRequest: Sendable, Hashable {
    public var now: Date
    /// Retention of events whose source sets none, in days.
    public var defaultRetentionDays: Int
    public var limit: Int

    public init(now: Date, defaultRetentionDays: Int, limit: Int) {
        self.now = now
        self.defaultRetentionDays = defaultRetentionDays
        self.limit = limit
    }
}

/// What one purge batch deleted.
public struct PurgeResult: Sendable, Hashable {
    public var events: Int
    public var deliveries: Int
    public var attempts: Int

    public init(events: Int = 0, deliveries: Int = 0, attempts: Int = 0) {
        self.events = events
        self.deliveries = deliveries
        self.attempts = attempts
    }
}
