import Foundation

/// The block `switchboard receive` prints for one request: a header line with the time,
/// method, path and the status answered, the webhook's id and type, the Switchboard
/// headers, the signature verdict, then the body, pretty-printed when it is JSON and
/// truncated past `bodyLimit` characters.
struct RequestReport: Sendable {
    var number: Int
    var receivedAt: Date
    var method: String
    var path: String
    /// Header names in lower case, in the order received.
    var headers: [(name: String, value: String)]
    var body: Data
    var status: Int
    var signature: SignatureCheck.Outcome?
    /// Print every header, not only the webhook and Switchboard ones.
    var allHeaders: Bool
    /// Most characters of the body to print; 0 prints it whole.
    var bodyLimit: Int

    /// The headers shown even without `--headers`, besides every `x-switchboard-source-*`.
    static let notableHeaders = ["webhook-id", "webhook-timestamp", "x-switchboard-correlation-id"]

    func render() -> String {
        var lines: [String] = []
        let time = receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let size = body.count == 1 ? "1 byte" : "\(body.count) bytes"
        lines.append("── #\(number)  \(time)  \(method) \(path)  → \(status)  (\(size))")

        var fields: [(String, String)] = []
        if let type = eventType { fields.append(("type", type)) }
        if allHeaders {
            fields += headers.map { ($0.name, $0.value) }
        } else {
            for (name, value) in headers where Self.notableHeaders.contains(name) || name.hasPrefix("x-switchboard-source-") {
                fields.append((name, value))
            }
        }
        switch signature {
        case .verified(let age)?: fields.append(("signature", "verified (v1, timestamp \(age) s old)"))
        case .failed(let reason)?: fields.append(("signature", "FAILED: \(reason)"))
        case nil: break
        }
        let width = fields.map(\.0.count).max() ?? 0
        for (name, value) in fields {
            lines.append("   " + name + String(repeating: " ", count: width - name.count) + "  " + value)
        }
        if !body.isEmpty { lines.append(renderedBody) }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// The body's `type` (what Switchboard deliveries carry), else its `event_type`.
    var eventType: String? {
        guard let object = json as? [String: Any] else { return nil }
        return (object["type"] as? String) ?? (object["event_type"] as? String)
    }

    private var json: Any? {
        guard let first = body.first(where: { !$0.isWhitespace }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        return try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    }

    private var renderedBody: String {
        let text: String
        if let json, let pretty = try? JSONSerialization.data(
            withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]),
            let string = String(data: pretty, encoding: .utf8)
        {
            text = Self.tidyKeySeparators(string)
        } else if let string = String(data: body, encoding: .utf8) {
            text = string
        } else {
            return "(\(body.count) bytes, not UTF-8 text)"
        }
        guard bodyLimit > 0, text.count > bodyLimit else { return text }
        var cut = text.prefix(bodyLimit)
        if let newline = cut.lastIndex(of: "\n"), cut.distance(from: cut.startIndex, to: newline) > bodyLimit / 2 {
            cut = cut[..<newline]
        }
        return cut + "\n… truncated: \(text.count - cut.count) more characters (--body-limit 0 prints everything)"
    }
}

extension RequestReport {
    /// Foundation writes `"key" : value`; this makes it `"key": value`. Only a key at the start
    /// of a line is touched, never the inside of a string value.
    static func tidyKeySeparators(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard let match = line.prefixMatch(of: #/\s*"(?:[^"\\]|\\.)*" : /#) else { return line }
            return line[..<line.index(match.range.upperBound, offsetBy: -3)] + ": " + line[match.range.upperBound...]
        }.joined(separator: "\n")
    }
}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
