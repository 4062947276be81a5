import NIOCore

/// Splits a `text/event-stream` body into events, chunk by chunk as it arrives.
///
/// Implements the framing of the HTML spec's event stream as far as Switchboard's stream uses
/// it: `event:` and `data:` fields (several `data:` lines join with `\n`), `:` comments,
/// LF, CR or CRLF line ends, and a blank line ending each event. Other fields (`id:`,
/// `retry:`) are read and ignored. A line longer than `maxLineBytes` is a protocol error.
struct ServerSentEventParser {
    struct Event: Sendable, Hashable {
        var name: String
        var data: String
    }

    enum Failure: Error { case lineTooLong }

    let maxLineBytes: Int
    private var line: [UInt8] = []
    private var name = ""
    private var data: [String] = []
    private var hasData = false
    private var afterCR = false

    init(maxLineBytes: Int = 4 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// The events completed by `chunk`.
    mutating func consume(_ chunk: ByteBuffer) throws(Failure) -> [Event] {
        var events: [Event] = []
        for byte in chunk.readableBytesView {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                afterCR = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            default:
                guard line.count < maxLineBytes else { throw .lineTooLong }
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            defer { name = ""; data = []; hasData = false }
            guard hasData else { return nil }
            return Event(name: name.isEmpty ? "message" : name, data: data.joined(separator: "\n"))
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "event": name = String(value)
        case "data":
            data.append(String(value))
            hasData = true
        default: break
        }
        return nil
    }
}
