import Foundation
import NIOCore
import SwitchboardCore
import Testing

@testable import SwitchboardTransport

@Suite("HTTPDeliveryTransport against a hostile receiver", .timeLimit(.minutes(1)))
struct HTTPDeliveryTransportTests {
    @Test("a 200 comes back with its body, Host header and webhook-id")
    func ok() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let response = await transport.send(deliveryRequest(receiver.url("/ok?x=1"), webhookID: "msg_1"))
        #expect(response.errorClass == nil)
        #expect(response.statusCode == 200)
        #expect(response.responseBody == Data(HostileReceiver.okBody.utf8))
        #expect(receiver.requests(to: "/ok") == 1)
        #expect(receiver.webhookIDs == ["msg_1"])
        #expect(receiver.hostHeaders == ["127.0.0.1:\(receiver.port)"])
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("a body trickling at 1 byte/s is cut at the deadline with the head and the bytes so far")
    func trickleIsCutAtTheDeadline() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let response = await transport.send(deliveryRequest(receiver.url("/trickle"), timeout: 1.5))
        #expect(response.errorClass == TransportErrorClass.timeout)
        #expect(response.statusCode == 200)
        let received = response.responseBody?.count ?? 0
        #expect(received > 0 && received < 1000)
        #expect(response.duration >= 1.4 && response.duration < 6, "cut at its 1.5 s deadline while the body still trickles")
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("a receiver that never answers times out near the deadline")
    func hangTimesOut() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let started = ContinuousClock.now
        let response = await transport.send(deliveryRequest(receiver.url("/hang"), timeout: 1))
        let elapsed = started.duration(to: .now)
        #expect(response.errorClass == TransportErrorClass.timeout)
        #expect(response.statusCode == nil)
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(6), "ends at its 1 s deadline; the receiver would never answer")
        #expect(response.errorMessage?.contains("response head") == true)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("a closed port is refused at once")
    func closedPortIsRefused() async throws {
        let port = try await HostileReceiver.closedPort()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let started = ContinuousClock.now
        let response = await transport.send(deliveryRequest("http://127.0.0.1:\(port)/ok", timeout: 10))
        #expect(response.errorClass == TransportErrorClass.connectionRefused)
        #expect(started.duration(to: .now) < .seconds(5), "refused, not left to the 10 s deadline")
        await transport.shutdown()
    }

    @Test("429 and 503 return Retry-After raw; a 302 returns its Location and is not followed")
    func retryAfterAndRedirects() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let throttled = await transport.send(deliveryRequest(receiver.url("/throttle")))
        #expect(throttled.statusCode == 429)
        #expect(throttled.retryAfter == "7")
        #expect(throttled.errorClass == nil)
        let unavailable = await transport.send(deliveryRequest(receiver.url("/unavailable")))
        #expect(unavailable.statusCode == 503)
        #expect(unavailable.retryAfter == "3")
        let redirected = await transport.send(deliveryRequest(receiver.url("/redirect")))
        #expect(redirected.statusCode == 302)
        #expect(redirected.location == "https://example.invalid/next")
        #expect(redirected.errorClass == nil)
        #expect(receiver.requests(to: "/redirect") == 1)
        #expect(receiver.totalRequests == 3)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("a reset connection is connection_closed")
    func resetIsConnectionClosed() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let response = await transport.send(deliveryRequest(receiver.url("/reset"), timeout: 20))
        #expect(response.errorClass == TransportErrorClass.connectionClosed)
        #expect(response.duration < 10, "the reset ends the attempt, not the 20 s deadline")
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("a 100 KiB body is cut at 64 KiB and the next request still works")
    func bigBodyIsCapped() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let response = await transport.send(deliveryRequest(receiver.url("/big")))
        #expect(response.errorClass == nil)
        #expect(response.statusCode == 200)
        #expect(response.responseBody?.count == Attempt.maxResponseBodyBytes)
        let next = await transport.send(deliveryRequest(receiver.url("/ok")))
        #expect(next.statusCode == 200)
        #expect(receiver.acceptedConnections == 2)
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("https to a plain-HTTP port fails as tls quickly")
    func httpsToPlainPortFailsQuickly() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let response = await transport.send(deliveryRequest("https://127.0.0.1:\(receiver.port)/ok", timeout: 20))
        #expect([TransportErrorClass.tls, TransportErrorClass.connectionClosed].contains(response.errorClass))
        #expect(response.duration < 10, "the handshake fails, not the 20 s deadline")
        #expect(response.errorMessage?.contains("/") == false, "no source paths in \(response.errorMessage ?? "")")
        await transport.shutdown()
        await receiver.shutdown()
    }

    @Test("a name that does not resolve is dns; a bad URL is invalid_url")
    func dnsAndInvalidURL() async throws {
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses(), resolver: MappedResolver(table: [:]))
        let unresolved = await transport.send(deliveryRequest("http://nowhere.test/ok"))
        #expect(unresolved.errorClass == TransportErrorClass.dns)
        #expect(unresolved.errorMessage?.contains("nowhere.test") == true)
        let invalid = await transport.send(deliveryRequest("ftp://example.com/x"))
        #expect(invalid.errorClass == TransportErrorClass.invalidURL)
        await transport.shutdown()
    }

    @Test("after shutdown every send returns shutdown")
    func shutdownEndsSends() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let first = await transport.send(deliveryRequest(receiver.url("/ok")))
        #expect(first.statusCode == 200)
        let hanging = Task { await transport.send(deliveryRequest(receiver.url("/hang"), timeout: 10)) }
        try await Task.sleep(for: .milliseconds(200))
        await transport.shutdown()
        let inFlight = await hanging.value
        #expect(inFlight.errorClass == TransportErrorClass.shutdown)
        let later = await transport.send(deliveryRequest(receiver.url("/ok")))
        #expect(later.errorClass == TransportErrorClass.shutdown)
        #expect(receiver.requests(to: "/ok") == 1)
        await receiver.shutdown()
    }

    @Test("cancelling the task ends the attempt and frees its connection slot")
    func cancellationFreesTheSlot() async throws {
        let receiver = try await HostileReceiver.start()
        let transport = HTTPDeliveryTransport(addressGuard: AllowAllAddresses())
        let hanging = Task { await transport.send(deliveryRequest(receiver.url("/hang"), maxConnections: 1, timeout: 20)) }
        try await Task.sleep(for: .milliseconds(200))
        hanging.cancel()
        let cancelled = await hanging.value
        #expect(cancelled.errorClass != nil)
        #expect(cancelled.duration < 10, "cancelled, not left to the 20 s deadline")
        let next = await transport.send(deliveryRequest(receiver.url("/ok"), maxConnections: 1, timeout: 2))
        #expect(next.statusCode == 200)
        await transport.shutdown()
        await receiver.shutdown()
    }
}
