import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends one delivery attempt over pooled keep-alive connections and classifies what came back.
public struct WebhookSender: DeliveryTransport {
    /// What one request produced.
    public struct Result: Sendable, Hashable {
        public var outcome: AttemptOutcome
        public var statusCode: Int?
        public var errorMessage: String?
        public var responseBody: String?
        public var duration: TimeInterval
    }

    private let client: HTTPClient
    private let requestTimeout: TimeInterval

    public init(client: HTTPClient, requestTimeout: TimeInterval) {
        self.client = client
        self.requestTimeout = requestTimeout
    }

    /// An HTTP client configured for deliveries: no redirects, no decompression, bounded connect
    /// and read timeouts, connections kept alive and pooled per host.
    public static func makeClient(connectTimeout: TimeInterval, requestTimeout: TimeInterval) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(connectTimeout * 1000)), read: .milliseconds(Int64(requestTimeout * 1000))),
            decompression: .disabled)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func send(_ transportRequest: TransportRequest) async -> TransportResponse {
        let started = ContinuousClock.now
        var request = HTTPClientRequest(url: transportRequest.url)
        request.method = .POST
        for header in transportRequest.message.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: transportRequest.message.body))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(requestTimeout * 1000)))
            var collected = ByteBuffer()
            for try await var chunk in response.body {
                let room = Attempt.maxResponseBodyBytes - collected.readableBytes
                if room <= 0 { break }
                if chunk.readableBytes > room { chunk = chunk.getSlice(at: chunk.readerIndex, length: room) ?? chunk }
                collected.writeBuffer(&chunk)
            }
            return TransportResponse(
                statusCode: Int(response.status.code), responseBody: Data(collected.readableBytesView),
                retryAfter: response.headers.first(name: "retry-after"), location: response.headers.first(name: "location"),
                duration: started.duration(to: .now).seconds)
        } catch {
            let (errorClass, message) = Self.classify(error)
            return .failure(errorClass, message, duration: started.duration(to: .now).seconds)
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// A stable error class and a message without secrets.
    static func classify(_ error: any Error) -> (String, String) {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return ("connect_timeout", "connecting took longer than the connect timeout")
            case .readTimeout, .deadlineExceeded: return ("timeout", "no complete answer within the request timeout")
            case .remoteConnectionClosed: return ("connection_closed", "the receiver closed the connection before answering")
            case .tlsHandshakeTimeout: return ("tls", "TLS handshake timed out")
            case .invalidURL, .emptyHost, .emptyScheme: return ("invalid_url", "the endpoint URL cannot be requested")
            default: return ("network", "request failed: \(error)")
            }
        }
        if error is NIOConnectionError { return ("connection_refused", "could not connect to the receiver") }
        let text = String(describing: error)
        if text.contains("refused") || text.contains("connectFailed") { return ("connection_refused", "could not connect to the receiver") }
        if text.lowercased().contains("ssl") || text.lowercased().contains("tls") { return ("tls", "TLS failed: \(text.prefix(200))") }
        if text.contains("NXDOMAIN") || text.lowercased().contains("resolve") { return ("dns", "the host name did not resolve") }
        return ("network", String(text.prefix(200)))
    }
}

extension Duration {
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
