import Hummingbird
import Prometheus
import SwitchboardCore

/// `GET /metrics` (no key): Prometheus text format.
///
/// Before rendering, the store gauges are refreshed from `Store.gauges()`; when the store
/// cannot answer, `switchboard_store_up` drops to 0 and the other gauges keep their last
/// values. Labels are bounded (endpoint states only): no ids, no URLs.
struct MetricsRoutes {
    let switchboard: Switchboard
    let telemetry: Telemetry

    func register(on router: Router<SwitchboardRequestContext>) {
        let gauges = StoreGaugeSet(registry: telemetry.registry)
        let registry = telemetry.registry
        router.get("metrics") { _, context in
            do {
                gauges.update(try await switchboard.gauges(), streamSubscribers: switchboard.feed.subscriberCount)
            } catch {
                gauges.storeDown()
                context.logger.warning("metrics: store gauges unavailable", metadata: ["error_type": "\(type(of: error))"])
            }
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

/// The gauges `/metrics` refreshes from the store on each scrape.
struct StoreGaugeSet: Sendable {
    let storeUp: Gauge
    let retryQueueDepth: Gauge
    let pausedDeliveries: Gauge
    let inFlightDeliveries: Gauge
    let enabledEndpoints: Gauge
    let failingEndpoints: Gauge
    let disabledEndpoints: Gauge
    let streamSubscribers: Gauge

    init(registry: PrometheusCollectorRegistry) {
        func gauge(_ name: String, _ help: String, labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: "switchboard", metricName: name, unitName: "", helpText: help), labels: labels)
        }
        storeUp = gauge("store_up", "1 when the store answered the last scrape, else 0")
        retryQueueDepth = gauge("retry_queue_depth", "Deliveries waiting for an attempt (pending or scheduled)")
        pausedDeliveries = gauge("paused_deliveries", "Deliveries held because their endpoint is disabled")
        inFlightDeliveries = gauge("in_flight_deliveries", "Deliveries being attempted")
        let endpointsHelp = "Endpoints by state: enabled (failing ones included), failing (enabled, with failures and no success since), disabled"
        enabledEndpoints = gauge("endpoints", endpointsHelp, labels: [("state", "enabled")])
        failingEndpoints = gauge("endpoints", endpointsHelp, labels: [("state", "failing")])
        disabledEndpoints = gauge("endpoints", endpointsHelp, labels: [("state", "disabled")])
        streamSubscribers = gauge("stream_subscribers", "Subscribers of the change feed (console and /v1/stream clients)")
    }

    func update(_ gauges: StoreGauges, streamSubscribers subscribers: Int) {
        storeUp.set(to: 1)
        retryQueueDepth.set(to: Double(gauges.queueDepth))
        pausedDeliveries.set(to: Double(gauges.pausedDeliveries))
        inFlightDeliveries.set(to: Double(gauges.inFlightDeliveries))
        enabledEndpoints.set(to: Double(gauges.enabledEndpoints))
        failingEndpoints.set(to: Double(gauges.failingEndpoints))
        disabledEndpoints.set(to: Double(gauges.disabledEndpoints))
        streamSubscribers.set(to: Double(subscribers))
    }

    func storeDown() { storeUp.set(to: 0) }
}
