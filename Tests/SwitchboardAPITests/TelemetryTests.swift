import Metrics
import SwitchboardAPI
import Testing

@Suite("Telemetry")
struct TelemetryTests {
    @Test("bootstrap hooks swift-metrics to one registry, once: counters recorded anywhere appear on /metrics")
    func bootstrapOnce() async throws {
        let telemetry = Telemetry.bootstrap()
        #expect(Telemetry.bootstrap().registry === telemetry.registry)
        Counter(label: "switchboard_api_tests_probe_total").increment(by: 2)
        try await APIHarness.with(options: APIOptions(telemetry: telemetry)) { api in
            let body = try await api.request(.get, "/metrics", key: nil).body
            #expect(body.contains("switchboard_api_tests_probe_total 2"))
        }
    }
}
