import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import Synchronization
import SwitchboardCore

/// `GET /v1/stream` (read): the caller's tenant's changes as server-sent events.
///
/// Each change is `event: <name>` and `data: <json>` (see ``ChangeDTO``); a `: keep-alive`
/// comment goes out every ``APIOptions/streamKeepAliveInterval`` while nothing happens. The
/// stream never slows delivery down: the change feed buffers a bounded number of changes
/// per client, and a client that loses more than ``APIOptions/streamMaxDroppedChanges`` gets
/// a final `stream.overflow` event and is disconnected, to reconnect and resync. The stream
/// also ends when the client goes away, on graceful shutdown, and after `max_events`
/// changes when that query parameter is given (for scripts that wait for the next change).
/// It ends with a `stream.revoked` event once its API key is revoked (checked every
/// ``APIOptions/streamKeyCheckInterval``). One key holds at most
/// ``APIOptions/maxStreamsPerKey`` streams; one more is a 429.
struct StreamRoutes {
    let switchboard: Switchboard
    let options: APIOptions
    let slots: StreamSlots

    func register(on group: RouterGroup<SwitchboardRequestContext>) {
        group.get("stream") { request, context in
            let key = try context.require(.read)
            let maxEvents: Int? =
                request.uri.queryParameters.get("max_events") == nil
                ? nil : try request.queryInt("max_events", default: 1, range: 1...1_000_000)
            guard let lease = slots.acquire(key.id) else {
                throw APIError(
                    status: .tooManyRequests, code: "rate_limited",
                    message: "this API key already holds \(slots.limit) open streams; close one first")
            }
            let session = StreamSession(
                feed: switchboard.feed, tenant: key.tenantID, bufferSize: options.streamBufferSize,
                keepAlive: options.streamKeepAliveInterval, maxDropped: options.streamMaxDroppedChanges, maxEvents: maxEvents,
                baseURL: options.resolvedPublicBaseURL, keyCheckInterval: options.streamKeyCheckInterval,
                keyIsActive: { [switchboard] in (try? await switchboard.isActive(key)) ?? true })
            let headers: HTTPFields = [
                .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache", .accelBuffering: "no",
            ]
            // The lease lives as long as the body closure: the slot comes back when the stream
            // ends, and also when the response is dropped before its body was ever written.
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                defer { withExtendedLifetime(lease) {} }
                try await session.run(writer: &writer)
            })
        }
    }
}

/// One client's stream: subscribes to the feed for as long as the response body is written.
struct StreamSession: Sendable {
    let feed: ChangeFeed
    let tenant: TenantID
    let bufferSize: Int
    let keepAlive: Duration
    let maxDropped: Int
    let maxEvents: Int?
    /// Base of the source ingest URLs in `source.updated` events.
    let baseURL: String
    /// How often ``keyIsActive`` is asked.
    let keyCheckInterval: Duration
    /// Whether the stream's API key is still valid; a store failure counts as valid.
    let keyIsActive: @Sendable () async -> Bool

    private enum Frame: Sendable {
        case change(Change)
        case keepAlive
        case revoked
    }

    /// Changes lost between the feed subscription and the writer.
    private final class LostCount: Sendable {
        private let count = Atomic<Int>(0)
        func add() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    func run(writer: inout any ResponseBodyWriter) async throws {
        let subscription = feed.subscribe(bufferSize: bufferSize)
        defer { subscription.cancel() }
        // Frames merge the tenant's changes with keep-alive ticks; the buffer is bounded too,
        // so a slow client loses (and counts) frames instead of growing memory.
        let (frames, continuation) = AsyncStream<Frame>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let lost = LostCount()
        try await writer.write(ByteBuffer(string: ": connected\n\n"))
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await change in subscription.changes where change.tenantID == tenant {
                        if case .dropped = continuation.yield(.change(change)) { lost.add() }
                    }
                    continuation.finish()
                }
                group.addTask {
                    while (try? await Task.sleep(for: keepAlive)) != nil {
                        if case .dropped = continuation.yield(.keepAlive) { lost.add() }
                    }
                }
                group.addTask {
                    while (try? await Task.sleep(for: keyCheckInterval)) != nil {
                        guard await keyIsActive() else {
                            // The buffer may be full; finishing after the yield ends the stream either way.
                            continuation.yield(.revoked)
                            continuation.finish()
                            return
                        }
                    }
                }
                var sent = 0
                for await frame in frames {
                    if case .revoked = frame {
                        try await writer.write(Self.event("stream.revoked", Data(#"{"reason":"api_key_revoked"}"#.utf8)))
                        break
                    }
                    let dropped = subscription.dropped + lost.value
                    if dropped > maxDropped {
                        try await writer.write(Self.event("stream.overflow", Data(#"{"dropped":\#(dropped)}"#.utf8)))
                        break
                    }
                    switch frame {
                    case .revoked:
                        break
                    case .keepAlive:
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    case .change(let change):
                        try await writer.write(Self.event(ChangeDTO.name(of: change), ChangeDTO.data(of: change, baseURL: baseURL)))
                        sent += 1
                    }
                    if let maxEvents, sent >= maxEvents { break }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
        try await writer.finish(nil)
    }

    /// `event: <name>\ndata: <json>\n\n`; the JSON is on one line.
    static func event(_ name: String, _ data: Data) -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: \(name)\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }
}

extension HTTPField.Name {
    /// Tells nginx-style proxies not to buffer the event stream.
    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!
}
