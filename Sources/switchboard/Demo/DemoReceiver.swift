import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The demo's sample receiver on loopback. Each path misbehaves in its own realistic way:
///
/// - `/orders`: answers 200 in 20–80 ms.
/// - `/billing`: one request in four fails with 500, some take 1–2 s.
/// - `/legacy`: 410 Gone: Switchboard disables the endpoint.
/// - `/crm`: down (503, then refused-like 502s) for its first `recoverAfter` seconds, then healthy.
/// - `/analytics`: slow, 300–1500 ms, and throttles with 429 + Retry-After now and then.
struct DemoReceiver: Service {
    let port: Int
    let recoverAfter: TimeInterval
    let logger: Logger

    func run() async throws {
        let started = ContinuousClock.now
        let router = Router()
        router.post("/orders") { _, _ -> Response in
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...80)))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"received":true}"#)))
        }
        router.post("/billing") { _, _ -> Response in
            if Int.random(in: 0..<8) == 0 { try await Task.sleep(for: .milliseconds(Int.random(in: 1000...2000))) }
            if Int.random(in: 0..<4) == 0 {
                return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "ledger write failed: deadlock detected")))
            }
            return Response(status: .ok)
        }
        router.post("/legacy") { _, _ -> Response in
            Response(status: .gone, body: .init(byteBuffer: ByteBuffer(string: "this integration was removed")))
        }
        router.post("/crm") { _, _ -> Response in
            if started.duration(to: .now) < .seconds(recoverAfter) {
                return Response(status: .serviceUnavailable, headers: [.retryAfter: "5"], body: .init(byteBuffer: ByteBuffer(string: "maintenance window")))
            }
            return Response(status: .noContent)
        }
        router.post("/analytics") { _, _ -> Response in
            if Int.random(in: 0..<10) == 0 { return Response(status: .tooManyRequests, headers: [.retryAfter: "3"]) }
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500)))
            return Response(status: .accepted)
        }
        var quiet = logger
        quiet.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: quiet)
        try await app.run()
    }
}
