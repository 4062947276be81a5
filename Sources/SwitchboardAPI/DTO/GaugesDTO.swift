import SwitchboardCore

/// `GET /v1/gauges`: ``StoreGauges`` across every tenant.
struct GaugesDTO: Encodable {
    var queueDepth: Int
    var pausedDeliveries: Int
    var inFlightDeliveries: Int
    var enabledEndpoints: Int
    var failingEndpoints: Int
    var disabledEndpoints: Int

    init(_ gauges: StoreGauges) {
        queueDepth = gauges.queueDepth
        pausedDeliveries = gauges.pausedDeliveries
        inFlightDeliveries = gauges.inFlightDeliveries
        enabledEndpoints = gauges.enabledEndpoints
        failingEndpoints = gauges.failingEndpoints
        disabledEndpoints = gauges.disabledEndpoints
    }
}
