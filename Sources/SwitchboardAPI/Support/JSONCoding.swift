import Foundation
import Hummingbird
import SwitchboardCore

/// How the API writes JSON: snake_case keys, RFC 3339 UTC timestamps, no escaped slashes.
enum JSONCoding {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(date))
        }
        return encoder
    }

    static func encode(_ value: some Encodable) -> Data {
        (try? encoder().encode(value)) ?? Data("{}".utf8)
    }

    /// A JSON response with `status`.
    static func response(_ status: HTTPResponse.Status, _ value: some Encodable, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encode(value))))
    }

    /// A JSON response with `status` whose object also carries `raw` members: JSON texts
    /// written as they are (stored payloads), after the encoded ones.
    static func response(_ status: HTTPResponse.Status, _ value: some Encodable, appending raw: [String: Data]) -> Response {
        var body = encode(value)
        if body.last == UInt8(ascii: "}") {
            body.removeLast()
            for (key, json) in raw.sorted(by: { $0.key < $1.key }) {
                if body.count > 1 { body.append(UInt8(ascii: ",")) }
                body.append(encode(key))
                body.append(UInt8(ascii: ":"))
                body.append(json)
            }
            body.append(UInt8(ascii: "}"))
        }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
