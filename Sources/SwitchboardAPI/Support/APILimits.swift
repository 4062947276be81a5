import SwitchboardCore

/// The API's in-memory limiters, built once per router from ``APIOptions``.
struct APILimits: Sendable {
    /// Writes per API key id.
    let writes: RateLimiter
    /// Failed authentication per client address.
    let authFailures: RateLimiter
    /// Open `/v1/stream` responses per API key id.
    let streams: StreamSlots

    init(_ options: APIOptions) {
        writes = RateLimiter(ratePerSecond: options.writeRateLimitPerSecond, burst: options.writeRateLimitBurst, clock: options.clock)
        authFailures = RateLimiter(
            ratePerSecond: options.authFailureRateLimitPerSecond, burst: options.authFailureBurst, clock: options.clock)
        streams = StreamSlots(limit: options.maxStreamsPerKey)
    }
}
