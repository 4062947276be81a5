import Foundation
@testable import SwitchboardCore
import SwitchboardTransport
import Testing

/// Figures, not assertions: runs only with `SWITCHBOARD_TRANSPORT_BENCH=1` and prints requests per second.
@Suite("Transport throughput (prints figures)", .serialized, .enabled(if: ProcessInfo.processInfo.environment["SWITCHBOARD_TRANSPORT_BENCH"] == "1"))
struct TransportThroughputTests {
    @Test("5 s of ~200-byte POSTs to a loopback receiver", arguments: [4, 16])
    func throughput(connections: Int) async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let url = receiver.url("/ok")
        let body = Data(String(repeating: "x", count: 200).utf8)
        let message = WebhookMessage(body: body, headers: [
            ("content-type", "application/json"), ("user-agent", "Switchboard-Bench"),
            ("webhook-id", "msg_bench"), ("webhook-timestamp", "1700000000"),
            ("webhook-signature", "v1,c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"),
        ])
        let request = TransportRequest(endpointID: "ep_bench", url: url, message: message, maxConnections: connections, timeout: 5)
        let until = ContinuousClock.now + .seconds(5)
        let started = ContinuousClock.now
        let (ok, failed) = await withTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var ok = 0
                    var failed = 0
                    while ContinuousClock.now < until {
                        let response = await transport.send(request)
                        if response.statusCode == 200 { ok += 1 } else { failed += 1 }
                    }
                    return (ok, failed)
                }
            }
            return await group.reduce(into: (0, 0)) { $0.0 += $1.0; $0.1 += $1.1 }
        }
        let seconds = Double(started.duration(to: .now).components.attoseconds) / 1e18 + Double(started.duration(to: .now).components.seconds)
        print("transport throughput: \(connections) connections, \(ok) ok, \(failed) failed, \(Int(Double(ok) / seconds)) req/s, \(receiver.acceptedConnections) connections opened")
        #expect(failed == 0)
        await transport.shutdown()
        await receiver.shutdown()
    }
}
