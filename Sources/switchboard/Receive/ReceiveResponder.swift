import Foundation
import Hummingbird
import Synchronization

/// Answers every request of `switchboard receive`, whatever its method and path: reads the
/// body, checks the signature when a secret was given, prints a ``RequestReport`` and
/// answers the configured status (401 when the signature fails).
struct ReceiveResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The largest body read; a larger one is answered 413.
    static let maxBodyBytes = 16 * 1024 * 1024

    let status: Int
    let signatureCheck: SignatureCheck?
    let allHeaders: Bool
    let bodyLimit: Int
    let output: ReceiveOutput

    func respond(to request: Request, context: Context) async throws -> Response {
        let receivedAt = Date()
        let path = request.uri.description
        let method = request.method.rawValue
        // HTTP/1.1's Host header is the request's authority in HTTPTypes, not one of its fields.
        let headers = (request.head.authority.map { [(name: "host", value: $0)] } ?? [])
            + request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: Self.maxBodyBytes).readableBytesView)
        } catch {
            output.line("── \(receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))  \(method) \(path)  → 413 (body larger than \(Self.maxBodyBytes) bytes)\n")
            return Self.json(.contentTooLarge, #"{"error":"body too large"}"#)
        }
        var firstHeaders: [String: String] = [:]
        for header in headers where firstHeaders[header.name] == nil { firstHeaders[header.name] = header.value }
        let outcome = signatureCheck?.check(headers: firstHeaders, body: body, now: receivedAt)
        let answered: HTTPResponse.Status
        let answerBody: String
        if case .failed(let reason)? = outcome {
            answered = .unauthorized
            answerBody = Self.jsonObject(["error": "signature verification failed: \(reason)"])
        } else {
            answered = HTTPResponse.Status(code: status)
            answerBody = Self.jsonObject(["received": true])
        }
        output.report { number in
            RequestReport(
                number: number, receivedAt: receivedAt, method: method, path: path, headers: headers, body: body,
                status: answered.code, signature: outcome, allHeaders: allHeaders, bodyLimit: bodyLimit)
        }
        return Self.json(answered, answerBody)
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        if status.code == 204 || status.code == 304 || (100..<200).contains(status.code) { return Response(status: status) }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func jsonObject(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Where `switchboard receive` writes: standard output, one whole block per write so that
/// concurrent requests never interleave, unbuffered so a pipe or a file sees each request
/// as soon as it is answered.
final class ReceiveOutput: Sendable {
    private let count = Mutex(0)

    /// Numbers the next request and writes its report, both under one lock.
    func report(_ make: (Int) -> RequestReport) {
        count.withLock { count in
            count += 1
            write(make(count).render())
        }
    }

    /// Writes a line (or a few) as they are.
    func line(_ text: String) {
        count.withLock { _ in write(text + "\n") }
    }

    /// How many requests were reported.
    var received: Int { count.withLock { $0 } }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
