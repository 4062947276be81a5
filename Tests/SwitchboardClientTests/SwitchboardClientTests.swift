import Foundation
import Synchronization
import SwitchboardClient
import SwitchboardCore
import Testing

@Suite("The API client against a live server")
struct SwitchboardClientTests {
    @Test("endpoints, a window of events larger than one API page, and an event's detail with its payload read back as the core's models")
    func reads() async throws {
        try await LiveServer.with { server in
            let endpoint = try await server.endpoint("billing")
            for index in 0..<130 {
                _ = try await server.switchboard.publish(
                    PublishRequest(tenantID: .defaultTenant, eventType: "order.created", payload: Data(#"{"n":\#(index),"big":12345678901234567890}"#.utf8)))
            }
            let client = try server.client()
            defer { Task { await client.shutdown() } }
            let endpoints = try await client.endpoints(tenant: .defaultTenant)
            #expect(endpoints.map(\.id) == [endpoint.id])
            #expect(endpoints.first?.secret.reveal() == "", "a remote console never holds a signing secret")
            let page = try await client.events(EventQuery(tenant: nil, limit: 120, offset: 5), tenant: .defaultTenant)
            #expect(page.total == 130)
            #expect(page.items.count == 120)
            #expect(Set(page.items.map(\.id)).count == 120)
            let newest = try #require(page.items.first)
            let detail = try await client.eventDetail(id: newest.id, tenant: .defaultTenant)
            #expect(detail.event.eventType == "order.created")
            #expect(detail.deliveries.map(\.endpointID) == [endpoint.id])
            #expect(JSONValue.parse(detail.event.payload)?["n"] != nil)
        }
    }

    @Test("actions: disable and enable an endpoint, retry a delivery, replay an event")
    func actions() async throws {
        try await LiveServer.with { server in
            let endpoint = try await server.endpoint("billing")
            let published = try await server.switchboard.publish(
                PublishRequest(tenantID: .defaultTenant, eventType: "order.created", payload: Data("{}".utf8)))
            let client = try server.client()
            defer { Task { await client.shutdown() } }
            #expect(try await client.setEndpointEnabled(id: endpoint.id, enabled: false, tenant: .defaultTenant).enabled == false)
            #expect(try await server.switchboard.endpoint(id: endpoint.id, tenant: .defaultTenant).enabled == false)
            #expect(try await client.setEndpointEnabled(id: endpoint.id, enabled: true, tenant: .defaultTenant).enabled == true)
            let delivery = try #require(published.deliveries.first)
            #expect(try await client.retryDelivery(id: delivery.id, tenant: .defaultTenant).id == delivery.id)
            let replay = try await client.replay(eventID: published.event.id, endpointIDs: [endpoint.id], tenant: .defaultTenant)
            #expect(replay.event.replayOf == published.event.id)
            #expect(replay.deliveries.map(\.endpointID) == [endpoint.id])
        }
    }

    @Test("a refused key and an unknown id are typed errors whose messages never carry the key")
    func errors() async throws {
        try await LiveServer.with { server in
            let wrongKey = "sbk_not-a-real-key-0123456789"
            let client = try server.client(key: wrongKey)
            defer { Task { await client.shutdown() } }
            let refused = await #expect(throws: ClientError.self) { try await client.endpoints(tenant: .defaultTenant) }
            #expect(refused?.kind == .unauthorized)
            #expect(refused?.message.contains(wrongKey) == false)
            let admin = try server.client()
            defer { Task { await admin.shutdown() } }
            let missing = await #expect(throws: ClientError.self) { try await admin.eventDetail(id: "evt_01JZZZZZZZZZZZZZZZZZZZZZZZ", tenant: .defaultTenant) }
            #expect(missing?.kind == .notFound)
            let reader = try server.client(key: server.readKey)
            defer { Task { await reader.shutdown() } }
            let forbidden = await #expect(throws: ClientError.self) {
                try await reader.setEndpointEnabled(id: "ep_01JZZZZZZZZZZZZZZZZZZZZZZZ", enabled: false, tenant: .defaultTenant)
            }
            #expect(forbidden?.kind == .forbidden)
        }
    }

    @Test("a closed port is an unreachable server, named in the message")
    func unreachable() async throws {
        let client = try SwitchboardClient(baseURL: "http://127.0.0.1:1", key: "sbk_x")
        defer { Task { await client.shutdown() } }
        let error = await #expect(throws: ClientError.self) { try await client.endpoints(tenant: .defaultTenant) }
        #expect(error?.kind == .unreachable)
        #expect(error?.message.contains("127.0.0.1:1") == true)
    }

    @Test("a URL that is not a server's is refused before any connection", arguments: ["", "127.0.0.1:8080", "ftp://host", "http://"])
    func badURL(_ url: String) {
        #expect(throws: ClientError.self) { try SwitchboardClient(baseURL: url, key: "sbk_x") }
    }

    @Test("the change stream turns a publish and an endpoint change on the server into local changes, and reports itself live")
    func changeStream() async throws {
        try await LiveServer.with { server in
            let endpoint = try await server.endpoint("billing")
            let client = try server.client()
            defer { Task { await client.shutdown() } }
            let feed = ChangeFeed()
            let subscription = feed.subscribe()
            let states = Mutex<[ChangeStream.State]>([])
            let streaming = Task {
                await ChangeStream(client: client).run(publishingInto: feed, tenant: .defaultTenant) { state in
                    states.withLock { $0.append(state) }
                }
            }
            defer { streaming.cancel() }
            for _ in 0..<100 where !states.withLock({ $0.contains(.live(resumed: false)) }) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(states.withLock { $0.contains(.live(resumed: false)) })
            let published = try await server.switchboard.publish(
                PublishRequest(tenantID: .defaultTenant, eventType: "order.created", payload: Data("{}".utf8)))
            _ = try await server.switchboard.disableEndpoint(id: endpoint.id, tenant: .defaultTenant)
            var seen: [Change] = []
            let deadline = ContinuousClock.now + .seconds(5)
            for await change in subscription.changes {
                seen.append(change)
                if seen.contains(where: { if case .endpointChanged(let changed) = $0 { !changed.enabled } else { false } }) { break }
                if ContinuousClock.now > deadline { break }
            }
            #expect(seen.contains { if case .eventPublished(let event, let deliveries) = $0 { event.id == published.event.id && deliveries.count == 1 } else { false } })
            #expect(seen.contains { if case .endpointChanged(let changed) = $0 { changed.id == endpoint.id && !changed.enabled } else { false } })
        }
    }

    @Test("a revoked key stops the change stream for good, saying so")
    func refusedStream() async throws {
        try await LiveServer.with { server in
            let client = try server.client(key: "sbk_not-a-real-key-0123456789")
            defer { Task { await client.shutdown() } }
            let states = Mutex<[ChangeStream.State]>([])
            await ChangeStream(client: client).run(publishingInto: ChangeFeed(), tenant: .defaultTenant) { state in
                states.withLock { $0.append(state) }
            }
            let last = states.withLock { $0.last }
            guard case .refused(let reason) = last else {
                Issue.record("expected refused, got \(String(describing: last))")
                return
            }
            #expect(reason.contains("refused the API key"))
        }
    }
}
