import Foundation

/// Byte-level reading of JSON text that is already known to be valid (``JSONValue/parse(_:)``
/// accepted it), so that a payload can be kept exactly as sent: numbers keep every digit
/// (12345678901234567890 stays that, not 1.2345678901234567e19), and nothing goes through `Double`.
enum RawJSON {
    /// The byte range of each member value of the top-level object in `data`, by key.
    /// A key that appears twice keeps its first range and is listed in `duplicates`.
    static func members(of data: Data) -> (ranges: [String: Range<Int>], duplicates: Set<String>) {
        let bytes = [UInt8](data)
        var ranges: [String: Range<Int>] = [:]
        var duplicates = Set<String>()
        var index = skipSpace(bytes, 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return ([:], []) }
        index = skipSpace(bytes, index + 1)
        while index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            let keyEnd = skipString(bytes, index)
            let key = decodeString(bytes[index..<keyEnd])
            index = skipSpace(bytes, keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { break }
            let start = skipSpace(bytes, index + 1)
            let end = skipValue(bytes, start)
            if ranges[key] == nil { ranges[key] = start..<end } else { duplicates.insert(key) }
            index = skipSpace(bytes, end)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { break }
            index = skipSpace(bytes, index + 1)
        }
        return (ranges, duplicates)
    }

    /// A canonical rendering for comparing requests: no insignificant whitespace, object keys
    /// sorted, strings re-encoded, numbers as written.
    static func canonical(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        var output: [UInt8] = []
        let start = skipSpace(bytes, 0)
        write(bytes, start..<skipValue(bytes, start), into: &output)
        return Data(output)
    }

    private static func write(_ bytes: [UInt8], _ range: Range<Int>, into output: inout [UInt8]) {
        guard let first = range.first.map({ bytes[$0] }) else { return }
        switch first {
        case UInt8(ascii: "{"):
            var members: [(key: String, value: Range<Int>)] = []
            var index = skipSpace(bytes, range.lowerBound + 1)
            while index < range.upperBound, bytes[index] == UInt8(ascii: "\"") {
                let keyEnd = skipString(bytes, index)
                let key = decodeString(bytes[index..<keyEnd])
                let start = skipSpace(bytes, skipSpace(bytes, keyEnd) + 1)
                let end = skipValue(bytes, start)
                members.append((key, start..<end))
                index = skipSpace(bytes, end)
                if index < range.upperBound, bytes[index] == UInt8(ascii: ",") { index = skipSpace(bytes, index + 1) }
            }
            output.append(UInt8(ascii: "{"))
            for (offset, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: encodeString(member.key))
                output.append(UInt8(ascii: ":"))
                write(bytes, member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            output.append(UInt8(ascii: "["))
            var index = skipSpace(bytes, range.lowerBound + 1)
            var first = true
            while index < range.upperBound, bytes[index] != UInt8(ascii: "]") {
                let end = skipValue(bytes, index)
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                write(bytes, index..<end, into: &output)
                index = skipSpace(bytes, end)
                if index < range.upperBound, bytes[index] == UInt8(ascii: ",") { index = skipSpace(bytes, index + 1) }
            }
            output.append(UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            output.append(contentsOf: encodeString(decodeString(bytes[range])))
        default:
            output.append(contentsOf: bytes[range])
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        return index
    }

    /// The index just past the string starting at `start` (its opening quote).
    private static func skipString(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return bytes.count
    }

    /// The index just past the value starting at `start`.
    private static func skipValue(_ bytes: [UInt8], _ start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return skipString(bytes, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index = skipString(bytes, index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return bytes.count
        default:
            var index = start
            while index < bytes.count, !isSpace(bytes[index]), ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index]) {
                index += 1
            }
            return index
        }
    }

    private static func decodeString(_ quoted: ArraySlice<UInt8>) -> String {
        (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: quoted, as: UTF8.self)
    }

    private static func encodeString(_ string: String) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return [UInt8]((try? encoder.encode(string)) ?? Data("\"\"".utf8))
    }
}
