import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardAPI
import SwitchboardCore
import SwitchboardSQLite
import Testing

/// The real server (``buildApplication(switchboard:options:logger:)``) on 127.0.0.1, driven
/// through raw sockets.
@Suite("Connection timeouts and limits", .serialized)
struct ConnectionLimitsTests {
    static func live(_ options: APIOptions, _ body: @Sendable @escaping (Int) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(
            path: directory.appendingPathComponent("api.sqlite").path, synchronous: .normal, logger: APIHarness.quietLogger)
        let switchboard = Switchboard(store: store, logger: APIHarness.quietLogger)
        var options = options
        options.port = 0
        let app = buildApplication(switchboard: switchboard, options: options, logger: APIHarness.quietLogger)
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    /// Timeouts set short; the upper bounds the tests allow are generous only because the
    /// machine may be busy (the point is "closed soon", against "never" before).
    static let short = APIOptions(idleTimeout: .milliseconds(300), requestTimeout: .milliseconds(600), maxHeaderBytes: 8192)

    @Test("an idle connection is closed within the idle timeout")
    func idle() async throws {
        try await Self.live(Self.short) { port in
            let socket = try RawSocket(port: port)
            let started = ContinuousClock.now
            let (_, closed) = await socket.readUntilClosed(timeout: .seconds(20))
            #expect(closed)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test("an idle keep-alive connection is closed after its response")
    func idleAfterResponse() async throws {
        try await Self.live(Self.short) { port in
            let socket = try RawSocket(port: port)
            socket.send("GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
            let (text, closed) = await socket.readUntilClosed(timeout: .seconds(20))
            #expect(text.hasPrefix("HTTP/1.1 200"))
            #expect(closed)
        }
    }

    @Test("a half-sent request head is closed, even when its bytes trickle in")
    func halfHead() async throws {
        try await Self.live(Self.short) { port in
            let socket = try RawSocket(port: port)
            let started = ContinuousClock.now
            socket.send("GET /healthz HTTP/1.1\r\nHost: te")
            var closed = false
            for _ in 0..<100 where !closed {
                socket.send("x")
                closed = await socket.readUntilClosed(timeout: .milliseconds(100)).closed
            }
            #expect(closed)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test("a stalled or trickling body is closed")
    func stalledBody() async throws {
        try await Self.live(Self.short) { port in
            let stalled = try RawSocket(port: port)
            stalled.send("POST /in/in_nothing HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
            #expect(await stalled.readUntilClosed(timeout: .seconds(20)).closed)

            let trickling = try RawSocket(port: port)
            let started = ContinuousClock.now
            trickling.send("POST /in/in_nothing HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            var closed = false
            for _ in 0..<100 where !closed {
                trickling.send(" ")
                closed = await trickling.readUntilClosed(timeout: .milliseconds(100)).closed
            }
            #expect(closed)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test("oversized headers get 431 in the JSON error shape")
    func headersTooLarge() async throws {
        try await Self.live(Self.short) { port in
            let socket = try RawSocket(port: port)
            socket.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 16 * 1024))\r\n\r\n")
            let (text, _) = await socket.readUntilClosed(timeout: .seconds(20))
            #expect(text.hasPrefix("HTTP/1.1 431"), "\(text.prefix(200))")
            #expect(text.lowercased().contains("content-type: application/json"))
            #expect(text.contains(#"{"error":{"code":"headers_too_large","message":"#))
        }
    }
}
