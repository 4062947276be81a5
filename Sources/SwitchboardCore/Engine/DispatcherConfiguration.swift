import Foundation

/// Tunables of the dispatcher core. Every field maps to a key in `config/switchboard.yaml`.
public struct DispatcherConfiguration: Sendable, Hashable {
    /// `delivery.retry_schedule`, `delivery.jitter`: when failed deliveries are retried.
    public var retryPolicy: RetryPolicy
    /// `delivery.connect_timeout_seconds` (default 5).
    public var connectTimeout: TimeInterval
    /// `delivery.request_timeout_seconds` (default 30): one deadline per attempt, covering
    /// connect, TLS, the request and the whole response body.
    public var requestTimeout: TimeInterval
    /// `delivery.max_concurrency` (default 1024): deliveries in flight at once, in total.
    public var maxConcurrency: Int
    /// `delivery.endpoint_concurrency` (default 4): deliveries in flight at once per endpoint
    /// that sets no `max_concurrency` of its own.
    public var endpointConcurrency: Int
    /// `delivery.claim_batch_size` (default 256): most deliveries claimed per store round trip.
    public var claimBatchSize: Int
    /// `delivery.poll_interval_ms` (default 500): how often due retries are looked for when idle.
    public var pollInterval: TimeInterval
    /// `delivery.drain_timeout_seconds` (default 10): how long shutdown waits for in-flight deliveries.
    public var drainTimeout: TimeInterval
    /// `delivery.auto_disable_after_hours` (default 120): failing with no success this long disables an endpoint.
    public var autoDisableAfter: TimeInterval
    /// `events.idempotency_window_hours` (default 24).
    public var idempotencyWindow: TimeInterval
    /// `events.max_payload_bytes` (default 1 MiB).
    public var maxPayloadBytes: Int
    /// `events.publish_batch_size` (default 256): most events written in one transaction.
    public var publishBatchSize: Int
    /// `User-Agent` of deliveries: `Switchboard/<version>`.
    public var userAgent: String
    /// Where deliveries may go: HTTPS to public addresses by default; `dev` and
    /// `delivery.allowed_networks` open more. Checked when an endpoint is created or changed,
    /// before each attempt, and on every resolved address in the transport.
    public var destinations: DestinationPolicy
    /// The id of this node in a cluster sharing one store, recorded with each attempt; `nil`
    /// on a single node.
    public var nodeID: String?

    public init(
        retryPolicy: RetryPolicy = RetryPolicy(), connectTimeout: TimeInterval = 5, requestTimeout: TimeInterval = 30,
        maxConcurrency: Int = 1024, endpointConcurrency: Int = 4, claimBatchSize: Int = 256, pollInterval: TimeInterval = 0.5,
        drainTimeout: TimeInterval = 10, autoDisableAfter: TimeInterval = 5 * 86400, idempotencyWindow: TimeInterval = 86400,
        maxPayloadBytes: Int = 1 << 20, publishBatchSize: Int = 256, userAgent: String = "Switchboard/\(SwitchboardVersion.current)",
        destinations: DestinationPolicy = .secure
    ) {
        self.retryPolicy = retryPolicy
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxConcurrency = maxConcurrency
        self.endpointConcurrency = endpointConcurrency
        self.claimBatchSize = claimBatchSize
        self.pollInterval = pollInterval
        self.drainTimeout = drainTimeout
        self.autoDisableAfter = autoDisableAfter
        self.idempotencyWindow = idempotencyWindow
        self.maxPayloadBytes = maxPayloadBytes
        self.publishBatchSize = publishBatchSize
        self.userAgent = userAgent
        self.destinations = destinations
    }

    /// How long a claim lasts before another worker may take the delivery over: strictly
    /// longer than a claimed delivery can wait for its endpoint's slot and then be sent,
    /// because a job starts only with ``leaseMargin`` plus a whole attempt left on its lease.
    /// Four attempts plus two margins: 180 s with the default 30 s request timeout, 18 s with
    /// a 2 s one. It is how long the deliveries a killed node had claimed wait before another
    /// node takes them over.
    public var leaseDuration: TimeInterval { requestTimeout * 4 + leaseMargin * 2 }

    /// What a claimed job must have left on its lease, besides a whole attempt, to be sent;
    /// one with less is handed back to the store instead. It covers recording the attempt
    /// after the send (the recorder retries a failing commit for about 1.3 s): twice the
    /// request timeout, at least 5 s and at most 30 s.
    public var leaseMargin: TimeInterval { min(30, max(5, requestTimeout * 2)) }
}

/// The version Switchboard reports in `User-Agent` and `--version`.
public enum SwitchboardVersion {
    public static let current = "0.1.0"
}
