import Foundation
import HTTPTypes
import SwitchboardAPI
import SwitchboardCore
import Synchronization
import Testing

@Suite("Server-sent event stream")
struct StreamTests {
    /// One SSE frame: its `event:` name (nil for comments) and `data:` JSON.
    struct Frame {
        var event: String?
        var data: JSONValue?
        var comment: String?
    }

    static func frames(_ body: String) -> [Frame] {
        body.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
            var frame = Frame()
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { frame.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { frame.data = JSONValue.parse(Data(line.dropFirst(6).utf8)) }
                if line.hasPrefix(": ") { frame.comment = String(line.dropFirst(2)) }
            }
            return frame
        }
    }

    /// Opens `/v1/stream?<query>` with the reader key, runs `action` once the stream has
    /// subscribed to the feed, and returns the whole response; fails after `timeout`.
    static func stream(
        _ api: APIHarness, query: String, timeout: Duration = .seconds(10), action: @Sendable () async throws -> Void
    ) async throws -> APIResponse {
        try await withThrowingTaskGroup(of: APIResponse?.self) { group in
            group.addTask { try await api.request(.get, "/v1/stream?\(query)", key: api.keys.reader) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let deadline = ContinuousClock.now + timeout
            while api.switchboard.feed.subscriberCount == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await action()
            let first = try await group.next() ?? nil
            group.cancelAll()
            return try #require(first, "the stream did not end within \(timeout)")
        }
    }

    @Test("a publish reaches the stream as event.published with the event and its deliveries; other tenants' do not")
    func receivesPublish() async throws {
        try await APIHarness.with { api in
            try await api.createEndpoint()
            let published = JSONBox()
            let response = try await Self.stream(api, query: "max_events=1") {
                try await api.publish("order.secret", key: api.keys.otherTenant)
                published.value = try await api.publish()
            }
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(response.headers[.cacheControl] == "no-cache")
            let events = Self.frames(response.body).filter { $0.event != nil }
            #expect(events.map(\.event) == ["event.published"])
            let data = try #require(events.first?.data)
            #expect(data["event"]?["id"] == published.value?["id"])
            #expect(data["event"]?["event_type"]?.string == "order.created")
            #expect(data["deliveries"]?.array?.compactMap { $0["id"] } == published.value?["delivery_ids"]?.array)
            #expect(!response.body.contains("order.secret"))
        }
    }

    @Test("endpoint changes are streamed without the secret")
    func endpointsWithoutSecret() async throws {
        try await APIHarness.with { api in
            let created = JSONBox()
            let response = try await Self.stream(api, query: "max_events=1") {
                created.value = try await api.createEndpoint()
            }
            let frame = try #require(Self.frames(response.body).first { $0.event != nil })
            #expect(frame.event == "endpoint.updated")
            #expect(frame.data?["id"] == created.value?["id"])
            #expect(frame.data?["secret"] == nil)
            #expect(!response.body.contains(try #require(created.value?["secret"]?.string)))
        }
    }

    @Test("keep-alive comments flow while nothing happens")
    func keepAlive() async throws {
        try await APIHarness.with(options: APIOptions(streamKeepAliveInterval: .milliseconds(20))) { api in
            let response = try await Self.stream(api, query: "max_events=1") {
                try await Task.sleep(for: .milliseconds(150))
                try await api.publish()
            }
            let frames = Self.frames(response.body)
            #expect(frames.contains { $0.comment == "keep-alive" })
            #expect(frames.last?.event == "event.published")
        }
    }

    @Test("a client that falls behind the bounded buffer gets stream.overflow and is disconnected")
    func overflow() async throws {
        try await APIHarness.with(options: APIOptions(streamBufferSize: 1)) { api in
            let response = try await Self.stream(api, query: "") {
                for index in 0..<2000 {
                    api.switchboard.feed.publish(.endpointDeleted(id: "ep_\(index)", tenantID: .defaultTenant))
                }
            }
            let last = try #require(Self.frames(response.body).last)
            #expect(last.event == "stream.overflow")
            #expect((last.data?["dropped"]?.int ?? 0) > 0)
        }
    }

    @Test("the feed subscription ends with the stream")
    func unsubscribes() async throws {
        try await APIHarness.with { api in
            _ = try await Self.stream(api, query: "max_events=1") { try await api.publish() }
            let deadline = ContinuousClock.now + .seconds(5)
            while api.switchboard.feed.subscriberCount > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(api.switchboard.feed.subscriberCount == 0)
        }
    }

    @Test("a stream ends with stream.revoked soon after its key is revoked")
    func endsOnRevoke() async throws {
        try await APIHarness.with(options: APIOptions(streamKeyCheckInterval: .milliseconds(50))) { api in
            let response = try await Self.stream(api, query: "") {
                let reader = try #require(try await api.switchboard.apiKeys(tenant: .defaultTenant).first { $0.name == "reader" })
                try await api.switchboard.revokeAPIKey(id: reader.id, tenant: .defaultTenant)
            }
            #expect(Self.frames(response.body).last?.event == "stream.revoked")
        }
    }

    @Test("streams are capped per key: one more is 429, other keys are not affected, and the slot comes back")
    func cappedPerKey() async throws {
        try await APIHarness.with(options: APIOptions(maxStreamsPerKey: 1)) { api in
            let response = try await Self.stream(api, query: "max_events=1") {
                let second = try await api.get("/v1/stream?max_events=1")
                #expect(second.status == .tooManyRequests)
                #expect(second.errorCode == "rate_limited")
                try await api.publish()
            }
            #expect(response.status == .ok)
            // The first stream ended; its slot comes back once its response is released.
            // (Publishing until the new stream has one, since it may subscribe after any one publish.)
            var again: APIResponse?
            for _ in 0..<50 where again == nil || again?.status == .tooManyRequests {
                try await Task.sleep(for: .milliseconds(100))
                again = try await withThrowingTaskGroup(of: APIResponse?.self) { group in
                    group.addTask { try await api.get("/v1/stream?max_events=1") }
                    group.addTask {
                        for _ in 0..<200 {
                            try await Task.sleep(for: .milliseconds(50))
                            try await api.publish()
                        }
                        return nil
                    }
                    let first = try await group.next() ?? nil
                    group.cancelAll()
                    return first
                }
            }
            #expect(again?.status == .ok)
        }
    }

    @Test("the stream needs a key, and max_events must be a positive integer")
    func validation() async throws {
        try await APIHarness.with { api in
            #expect(try await api.request(.get, "/v1/stream", key: nil).status == .unauthorized)
            let bad = try await api.get("/v1/stream?max_events=0")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorMessage?.hasPrefix("max_events:") == true)
        }
    }
}

/// A value set inside a `@Sendable` closure and read after it.
final class JSONBox: Sendable {
    private let stored = Mutex<JSONValue?>(nil)
    var value: JSONValue? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
