import Foundation
import SwitchboardCore

/// JSON as indented lines with keys, strings and other values in their own roles.
/// Keys are sorted, so the same payload always reads the same.
enum PrettyJSON {
    /// The lines of `data` pretty-printed, or `nil` when it is not JSON.
    static func lines(_ data: Data) -> [[Span]]? {
        guard !data.isEmpty, let value = JSONValue.parse(data) else { return nil }
        var printer = Printer()
        printer.write(value, indent: 0, prefix: [], suffix: "")
        return printer.lines
    }

    private struct Printer {
        var lines: [[Span]] = []

        mutating func write(_ value: JSONValue, indent: Int, prefix: [Span], suffix: String) {
            let pad = Span(String(repeating: " ", count: indent))
            switch value {
            case .object(let fields) where !fields.isEmpty:
                lines.append([pad] + prefix + [Span("{")])
                let keys = fields.keys.sorted()
                for (index, key) in keys.enumerated() {
                    let comma = index == keys.count - 1 ? "" : ","
                    write(fields[key]!, indent: indent + 2, prefix: [Span(quoted(key), .info), Span(": ")], suffix: comma)
                }
                lines.append([pad, Span("}" + suffix)])
            case .array(let items) where !items.isEmpty:
                lines.append([pad] + prefix + [Span("[")])
                for (index, item) in items.enumerated() {
                    write(item, indent: indent + 2, prefix: [], suffix: index == items.count - 1 ? "" : ",")
                }
                lines.append([pad, Span("]" + suffix)])
            default:
                lines.append([pad] + prefix + [scalar(value), Span(suffix)])
            }
        }

        func scalar(_ value: JSONValue) -> Span {
            switch value {
            case .null: Span("null", .paused)
            case .bool(let flag): Span(flag ? "true" : "false", .paused)
            case .integer(let number): Span(String(number), .warning)
            case .number(let number): Span(String(number), .warning)
            case .string(let text): Span(quoted(text), .ok)
            case .object: Span("{}")
            case .array: Span("[]")
            }
        }

        func quoted(_ text: String) -> String {
            var result = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                default:
                    if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                        result += String(format: "\\u%04x", scalar.value)
                    } else {
                        result.unicodeScalars.append(scalar)
                    }
                }
            }
            return result + "\""
        }
    }
}

/// Wrapping of styled lines.
enum SpanWrap {
    /// Splits a line of spans into lines of at most `width` columns; continuation lines
    /// start with `indent` spaces.
    static func wrap(_ spans: [Span], width: Int, indent: Int = 0) -> [[Span]] {
        guard width > 0 else { return [] }
        let total = spans.reduce(0) { $0 + $1.width }
        if total <= width { return [spans] }
        var lines: [[Span]] = []
        var current: [Span] = []
        var used = 0
        let indent = min(indent, width / 2)
        for span in spans {
            var text = ""
            for character in span.text {
                let columns = TextWidth.of(character)
                if used + columns > width {
                    if !text.isEmpty { current.append(Span(text, span.role)) }
                    lines.append(current)
                    current = indent > 0 ? [Span(String(repeating: " ", count: indent))] : []
                    used = indent
                    text = ""
                }
                text.append(character)
                used += columns
            }
            if !text.isEmpty { current.append(Span(text, span.role)) }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
