import Foundation
import SwitchboardCore
import SwitchboardTransport
import Testing

@Suite("Keep-alive pools per endpoint", .timeLimit(.minutes(1)))
struct ConnectionPoolTests {
    @Test("200 sequential sends to one endpoint use one connection")
    func sequentialSendsReuseOneConnection() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        for _ in 0..<200 {
            let response = await transport.send(deliveryRequest(receiver.url("/ok")))
            #expect(response.statusCode == 200)
        }
        #expect(receiver.requests(to: "/ok") == 200)
        #expect(receiver.acceptedConnections == 1)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("4 concurrent senders open at most 4 connections")
    func concurrentSendsStayWithinMaxConnections() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let statuses = await withTaskGroup(of: [Int?].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var statuses: [Int?] = []
                    for _ in 0..<50 { statuses.append(await transport.send(deliveryRequest(receiver.url("/ok"), maxConnections: 4)).statusCode) }
                    return statuses
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == 200 && statuses.allSatisfy { $0 == 200 })
        #expect(receiver.acceptedConnections <= 4)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("more concurrent sends than connections wait their turn, never above maxConnections")
    func waitersQueueWithinTheLimit() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let statuses = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<40 {
                group.addTask { await transport.send(deliveryRequest(receiver.url("/delay/20"), maxConnections: 2)).statusCode }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(receiver.acceptedConnections <= 2)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("an endpoint hanging on all its connections does not delay another endpoint on the same receiver")
    func hangingEndpointDoesNotHoldAnother() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let hanging = (0..<6).map { _ in
            Task { await transport.send(deliveryRequest(receiver.url("/hang"), endpoint: "ep_a", maxConnections: 2, timeout: 10)) }
        }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        let response = await transport.send(deliveryRequest(receiver.url("/ok"), endpoint: "ep_b", maxConnections: 2, timeout: 5))
        let elapsed = started.duration(to: .now)
        #expect(response.statusCode == 200)
        #expect(elapsed < .seconds(5), "far less than the 10 s the hanging endpoint holds its connections")
        #expect(receiver.requests(to: "/hang") == 2)
        for task in hanging {
            let result = await task.value
            #expect(result.errorClass == TransportErrorClass.timeout)
            #expect(result.duration < 12)
        }
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("a connection the receiver closes is not reused")
    func connectionCloseIsNotReused() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        for _ in 0..<3 {
            let response = await transport.send(deliveryRequest(receiver.url("/close")))
            #expect(response.statusCode == 200)
        }
        #expect(receiver.acceptedConnections == 3)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("idle connections close after the idle timeout")
    func idleConnectionsClose() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(configuration: .init(idleTimeout: 0.2), addressGuard: AllowAllAddresses())
        _ = await transport.send(deliveryRequest(receiver.url("/ok")))
        try await Task.sleep(for: .milliseconds(600))
        let response = await transport.send(deliveryRequest(receiver.url("/ok")))
        #expect(response.statusCode == 200)
        #expect(receiver.acceptedConnections == 2)
        await transport.shutdown()
        await receiver.shutdown()
    }
}
