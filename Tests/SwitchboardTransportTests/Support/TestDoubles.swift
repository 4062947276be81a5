import Foundation
import NIOCore
@testable import SwitchboardCore
import SwitchboardTransport

/// Refuses 127.0.0.0/8, as production policy does for loopback.
struct RefuseLoopback: AddressGuard {
    func refusal(forAddress address: [UInt8]) -> String? {
        guard address.count == 4, address[0] == 127 else { return nil }
        return "\(address.map(String.init).joined(separator: ".")) is loopback"
    }
}

/// Answers from a fixed table, like a DNS server an attacker controls; unknown names fail.
struct MappedResolver: HostResolver {
    struct NoSuchHost: Error, CustomStringConvertible {
        var host: String
        var description: String { "no such host \(host)" }
    }

    var table: [String: String]

    func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        guard let ip = table[host] else { throw NoSuchHost(host: host) }
        return [try SocketAddress(ipAddress: ip, port: port)]
    }
}

/// A delivery request with a small JSON body and a `webhook-id`.
func deliveryRequest(
    _ url: String, endpoint: String = "ep_test", maxConnections: Int = 4, timeout: TimeInterval = 5,
    webhookID: String = "msg_\(UUID().uuidString)"
) -> TransportRequest {
    let body = Data(#"{"id":"\#(webhookID)","type":"test.event","data":{"n":1}}"#.utf8)
    let message = WebhookMessage(body: body, headers: [
        ("content-type", "application/json"),
        ("webhook-id", webhookID),
    ])
    return TransportRequest(endpointID: endpoint, url: url, message: message, maxConnections: maxConnections, timeout: timeout)
}
