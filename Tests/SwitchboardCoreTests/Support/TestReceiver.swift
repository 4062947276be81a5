import Foundation
import Hummingbird
import Logging
import Synchronization

/// A real HTTP receiver on 127.0.0.1 that records every request and answers by path:
/// `/ok` 200, `/fail` 500, `/gone` 410, `/throttle` 429 with `Retry-After: 120`,
/// `/unavailable` 503 with `Retry-After: 30`, `/redirect` 302, `/hang` never answers in time,
/// `/slow` answers 200 after 300 ms, `/big` 200 with a 100 KiB body.
final class TestReceiver: Sendable {
    struct ReceivedRequest: Sendable {
        let path: String
        let headers: [String: String]
        let body: Data
    }

    private let received = Mutex<[ReceivedRequest]>([])
    private let concurrent = Mutex((now: 0, peak: 0))
    let port: Int

    private init(port: Int) { self.port = port }

    /// The URL of `path` on this receiver.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var requests: [ReceivedRequest] { received.withLock { $0 } }

    /// Most requests that were being answered at the same time.
    var peakConcurrency: Int { concurrent.withLock { $0.peak } }

    func requests(to path: String) -> [ReceivedRequest] { requests.filter { $0.path == path } }

    /// Waits until at least `count` requests arrived on `path` (any path when `nil`); gives up after `seconds`.
    @discardableResult
    func waitForRequests(_ count: Int, on path: String? = nil, timeout seconds: Double = 10) async throws -> [ReceivedRequest] {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        while ContinuousClock.now < deadline {
            let matching = requests.filter { path == nil || $0.path == path }
            if matching.count >= count { return matching }
            try await Task.sleep(for: .milliseconds(10))
        }
        let got = requests.filter { path == nil || $0.path == path }.count
        throw ReceiverTimeout(description: "expected \(count) requests on \(path ?? "any path") within \(seconds)s, got \(got)")
    }

    struct ReceiverTimeout: Error, CustomStringConvertible { let description: String }

    private func record(_ request: Request, body: ByteBuffer) {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        received.withLock {
            $0.append(ReceivedRequest(path: request.uri.path, headers: headers, body: Data(buffer: body)))
        }
    }

    private func answer(_ request: Request) async throws -> Response {
        concurrent.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
        defer { concurrent.withLock { $0.now -= 1 } }
        switch request.uri.path {
        case "/ok": return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "thanks")))
        case "/fail": return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "database is down")))
        case "/gone": return Response(status: .gone)
        case "/throttle": return Response(status: .tooManyRequests, headers: [.retryAfter: "120"])
        case "/unavailable": return Response(status: .serviceUnavailable, headers: [.retryAfter: "30"])
        case "/redirect": return Response(status: .found, headers: [.location: url("/ok")])
        case "/slow":
            try await Task.sleep(for: .milliseconds(300))
            return Response(status: .ok)
        case "/hang":
            try await Task.sleep(for: .seconds(30))
            return Response(status: .ok)
        case "/big": return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 100 * 1024)))
        default: return Response(status: .notFound)
        }
    }

    /// Runs `body` with a receiver listening on an ephemeral loopback port.
    static func with<T: Sendable>(_ body: @Sendable (TestReceiver) async throws -> T) async throws -> T {
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let box = Mutex<TestReceiver?>(nil)
        let router = Router()
        router.post("/**") { request, _ -> Response in
            guard let receiver = box.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            let buffer = try await request.body.collect(upTo: 4 << 20)
            receiver.record(request, body: buffer)
            return try await receiver.answer(request)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: {
                var logger = Logger(label: "test-receiver")
                logger.logLevel = .critical
                return logger
            }())
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = portStream.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            let receiver = TestReceiver(port: port)
            box.withLock { $0 = receiver }
            do {
                let result = try await body(receiver)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes).map { Data($0) } ?? Data()
    }
}
