import Foundation
import SwitchboardCore
import SwitchboardTransport
import Testing

@Suite("The address guard, checked after DNS on what is dialled", .timeLimit(.minutes(1)))
struct AddressGuardTests {
    @Test("an IP-literal URL the guard refuses is blocked and nothing connects")
    func literalAddressIsGuarded() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: RefuseLoopback())
        let response = await transport.send(deliveryRequest(receiver.url("/ok")))
        #expect(response.errorClass == TransportErrorClass.blockedAddress)
        #expect(response.errorMessage?.contains("127.0.0.1") == true)
        #expect(response.errorMessage?.contains("loopback") == true)
        try await Task.sleep(for: .milliseconds(100))
        #expect(receiver.acceptedConnections == 0)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("a name that resolves to a refused address is blocked (DNS rebinding)")
    func rebindingNameIsGuarded() async throws {
        let receiver = try await HostileReceiver.start()
        let resolver = MappedResolver(table: ["rebind.test": "127.0.0.1"])
        let transport = HTTPDeliveryTransport(addressGuard: RefuseLoopback(), resolver: resolver)
        let response = await transport.send(deliveryRequest("http://rebind.test:\(receiver.port)/ok"))
        #expect(response.errorClass == TransportErrorClass.blockedAddress)
        #expect(response.errorMessage?.contains("127.0.0.1") == true)
        try await Task.sleep(for: .milliseconds(100))
        #expect(receiver.acceptedConnections == 0)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("the same name reaches the receiver when the guard allows it, with the name in Host")
    func allowedNameReachesTheReceiver() async throws {
        let receiver = try await HostileReceiver.start()
        let resolver = MappedResolver(table: ["rebind.test": "127.0.0.1"])
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses(), resolver: resolver)
        let response = await transport.send(deliveryRequest("http://rebind.test:\(receiver.port)/ok"))
        #expect(response.statusCode == 200)
        #expect(receiver.requests(to: "/ok") == 1)
        #expect(receiver.hostHeaders == ["rebind.test:\(receiver.port)"])
        await transport.shutdown()
        await receiver.shutdown()
    }
}
