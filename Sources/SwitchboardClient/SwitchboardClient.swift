import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchboardCore

/// A client of a Switchboard server's HTTP API, reading and acting with one API key.
///
/// Every call maps the API's JSON onto the core's models, in the key's tenant. Errors are
/// ``ClientError``s whose messages name the server, never the key. Call ``shutdown()`` when done.
public final class SwitchboardClient: Sendable {
    /// The server, e.g. `http://127.0.0.1:8080`, without a trailing slash.
    public let baseURL: String
    let key: String
    let http: HTTPClient
    /// How long one call may take (the change stream has none).
    let timeout: TimeAmount

    /// - Throws: ``ClientError`` when `baseURL` is not an `http(s)://host[:port]` URL.
    public init(baseURL: String, key: String, timeout: Duration = .seconds(10)) throws(ClientError) {
        var trimmed = baseURL.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw ClientError(.rejected(status: 0), message: "\(baseURL) is not a server URL; give one like http://127.0.0.1:8080")
        }
        self.baseURL = trimmed
        self.key = key
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        // The stream's keep-alive comes every 15 s: 40 s without a byte is a lost connection.
        configuration.timeout = .init(connect: .seconds(3), read: .seconds(40))
        configuration.decompression = .disabled
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
    }

    /// Closes the connections; calls made after it fail.
    public func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: Requests

    /// The request for `path` (starting with `/`) with the key and, for a body, JSON headers.
    func request(_ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: Data? = nil) -> HTTPClientRequest {
        var components = URLComponents()
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        components.queryItems = items.isEmpty ? nil : items
        var request = HTTPClientRequest(url: baseURL + path + (components.percentEncodedQuery.map { "?" + $0.replacingOccurrences(of: "+", with: "%2B") } ?? ""))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "switchboard-console")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    /// Sends `request` and decodes a 2xx answer as `Answer`.
    func send<Answer: Decodable>(_ request: HTTPClientRequest, as answer: Answer.Type) async throws(ClientError) -> Answer {
        let data = try await sendForData(request)
        do {
            return try WireDecoding.decoder().decode(Answer.self, from: data)
        } catch {
            throw ClientError(.server(status: 200), message: "\(baseURL) answered \(request.method.rawValue) \(Self.path(of: request)) with JSON this console cannot read: \(Self.describe(error))")
        }
    }

    /// Sends `request` and returns a 2xx answer's body.
    func sendForData(_ request: HTTPClientRequest) async throws(ClientError) -> Data {
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 32 << 20)
        } catch {
            throw ClientError(.unreachable, message: "cannot reach \(baseURL): \(Self.describe(error))")
        }
        let data = Data(body.readableBytesView)
        guard (200..<300).contains(response.status.code) else { throw Self.error(status: Int(response.status.code), body: data, request: request, baseURL: baseURL) }
        return data
    }

    static func error(status: Int, body: Data, request: HTTPClientRequest, baseURL: String) -> ClientError {
        let wire = try? JSONDecoder().decode(ErrorWire.self, from: body)
        let message = wire?.error?.message ?? "HTTP \(status)"
        let kind: ClientError.Kind =
            switch status {
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 400..<500: .rejected(status: status)
            default: .server(status: status)
            }
        let prefix: String =
            switch kind {
            case .unauthorized: "\(baseURL) refused the API key"
            case .server: "\(baseURL) failed \(request.method.rawValue) \(path(of: request))"
            default: ""
            }
        return ClientError(kind, code: wire?.error?.code, message: prefix.isEmpty ? message : "\(prefix): \(message)")
    }

    static func path(of request: HTTPClientRequest) -> String {
        URLComponents(string: request.url)?.path ?? request.url
    }

    /// A short reason, without NIO's type names where a plainer one exists.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .deadlineExceeded, .readTimeout: return "the server did not answer in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return String(describing: error)
            }
        }
        if let error = error as? DecodingError {
            switch error {
            case .keyNotFound(let key, _): return "missing \(key.stringValue)"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                return context.codingPath.map(\.stringValue).joined(separator: ".") + ": " + context.debugDescription
            @unknown default: return String(describing: error)
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text
    }

    static func encode(_ object: [String: [String]]) -> Data {
        (try? WireDecoding.encoder().encode(object)) ?? Data("{}".utf8)
    }
}
