import Metrics
import Prometheus
import Synchronization

/// The Prometheus registry `/metrics` renders, and the process-wide hook-up of swift-metrics to it.
///
/// The core records `switchboard_events_published_total`, `switchboard_attempts_total{outcome}`
/// and `switchboard_delivery_duration_seconds` through swift-metrics; they reach this
/// registry only once ``bootstrap()`` has made it the process's metrics backend. The API adds
/// the store gauges (queue depth, paused deliveries, endpoints by state) itself, refreshed on
/// every scrape.
///
/// ```swift
/// let telemetry = Telemetry.bootstrap()          // once, in main
/// let api = buildApplication(switchboard: switchboard,
///                            options: APIOptions(telemetry: telemetry), logger: logger)
/// ```
public struct Telemetry: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry

    /// Telemetry over `registry`, without touching the process-wide metrics system: the core's
    /// counters do not reach it. Tests use this.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    private static let processWide = Mutex<Telemetry?>(nil)

    /// The process-wide telemetry: on the first call, creates a registry and bootstraps
    /// swift-metrics' `MetricsSystem` with a `PrometheusMetricsFactory` over it; later calls
    /// return the same telemetry and bootstrap nothing (`MetricsSystem.bootstrap` may run only
    /// once per process).
    public static func bootstrap() -> Telemetry {
        processWide.withLock { current in
            if let current { return current }
            let telemetry = Telemetry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: telemetry.registry))
            current = telemetry
            return telemetry
        }
    }
}
