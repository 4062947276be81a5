import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchboardCore

/// The server's `/v1/stream` as a stream of ``Change``s that reconnects on its own.
///
/// ``run(publishingInto:tenant:onState:)`` keeps one stream open, publishes every change it
/// carries into a local ``ChangeFeed`` and reports the connection's state. When the stream
/// ends (the server restarted, the network dropped, the client fell behind and the server
/// cut it off with `stream.overflow`), it reports the loss and connects again after a
/// backoff of 0.25 s doubling to 5 s. Only a revoked or refused key stops it for good.
public struct ChangeStream: Sendable {
    /// Where the stream stands.
    public enum State: Sendable, Hashable {
        case connecting(attempt: Int)
        /// Connected; `resumed` after a loss, when changes may have been missed.
        case live(resumed: Bool)
        case lost(reason: String)
        /// The server refused the key: no more attempts.
        case refused(reason: String)
    }

    let client: SwitchboardClient

    public init(client: SwitchboardClient) {
        self.client = client
    }

    /// Runs until the task is cancelled or the key is refused.
    public func run(publishingInto feed: ChangeFeed, tenant: TenantID, onState: @Sendable (State) -> Void) async {
        var attempt = 0
        var everLive = false
        while !Task.isCancelled {
            attempt += 1
            onState(.connecting(attempt: attempt))
            let outcome = await stream(into: feed, tenant: tenant) { onState(.live(resumed: everLive)); everLive = true; attempt = 0 }
            switch outcome {
            case .refused(let reason):
                onState(.refused(reason: reason))
                return
            case .ended(let reason):
                guard !Task.isCancelled else { return }
                onState(.lost(reason: reason))
            }
            let backoff = min(5.0, 0.25 * pow(2.0, Double(max(0, attempt - 1))))
            try? await Task.sleep(for: .milliseconds(Int(backoff * 1000)))
        }
    }

    private enum Outcome {
        case ended(String)
        case refused(String)
    }

    private func stream(into feed: ChangeFeed, tenant: TenantID, connected: () -> Void) async -> Outcome {
        let request = client.request(.GET, "/v1/stream")
        let response: HTTPClientResponse
        do {
            response = try await client.http.execute(request, deadline: .distantFuture)
        } catch {
            return .ended("cannot reach \(client.baseURL): \(SwitchboardClient.describe(error))")
        }
        guard response.status.code == 200 else {
            let body = (try? await response.body.collect(upTo: 64 << 10)).map { Data($0.readableBytesView) } ?? Data()
            let error = SwitchboardClient.error(status: Int(response.status.code), body: body, request: request, baseURL: client.baseURL)
            switch error.kind {
            case .unauthorized, .forbidden: return .refused(error.message)
            default: return .ended(error.message)
            }
        }
        connected()
        var parser = ServerSentEventParser()
        do {
            for try await chunk in response.body {
                for event in try parser.consume(chunk) {
                    switch event.name {
                    case "stream.overflow":
                        return .ended("the console fell behind the server's changes; reloading")
                    case "stream.revoked":
                        return .refused("the API key was revoked")
                    default:
                        if let change = ChangeWire.change(name: event.name, data: event.data, tenant: tenant) { feed.publish(change) }
                    }
                }
            }
        } catch {
            return .ended("the stream from \(client.baseURL) broke: \(SwitchboardClient.describe(error))")
        }
        return .ended("\(client.baseURL) closed the stream")
    }
}
