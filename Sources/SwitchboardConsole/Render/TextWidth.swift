/// Terminal column widths of text, without asking the terminal: wide (East Asian and
/// emoji) characters take two columns, everything else one. Control characters are
/// never drawn: ``sanitized(_:)`` replaces them first.
enum TextWidth {
    /// Columns `character` takes on a terminal.
    static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if scalar.value < 0x1100 { return 1 }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return isWide(scalar.value) ? 2 : 1
    }

    /// Columns `text` takes.
    static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
            0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
            0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
            0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x18CFF, 0x1B000...0x1B2FF,
            0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F2FF, 0x1F300...0x1F64F,
            0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF,
            0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// `text` safe to draw: control characters (C0, DEL, C1, which could move the cursor or
    /// start an escape sequence) become `?`, tabs and newlines a space, and, when `ascii` is
    /// set, characters outside ASCII become `?`.
    static func sanitized(_ text: String, ascii: Bool = false) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            guard let first = character.unicodeScalars.first else { continue }
            let value = first.value
            if value == 0x09 || value == 0x0A || value == 0x0D {
                result.append(" ")
            } else if value < 0x20 || (0x7F...0x9F).contains(value) || (0x200B...0x200F).contains(value)
                || (0x2028...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            {
                result.append("?")
            } else if ascii && !character.isASCII {
                result.append("?")
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// `text` cut to at most `width` columns, ending in `ellipsis` when something was cut.
    static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if text.utf8.count <= width && text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        if of(text) <= width { return text }
        let ellipsisWidth = of(ellipsis)
        let budget = width - ellipsisWidth
        guard budget > 0 else { return ellipsisWidth <= width ? ellipsis : String(repeating: ".", count: width) }
        var result = ""
        var used = 0
        for character in text {
            let columns = of(character)
            if used + columns > budget { break }
            result.append(character)
            used += columns
        }
        return result + ellipsis
    }

    /// `text` cut in the middle to at most `width` columns: its start and end stay (the
    /// prefix and the random tail of an id, a URL's host and the end of its path).
    static func truncateMiddle(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let budget = width - of(ellipsis)
        guard budget > 1 else { return truncate(text, to: width, ellipsis: ellipsis) }
        let characters = Array(text)
        var head = "", tail: [Character] = []
        var headWidth = 0, tailWidth = 0
        let headBudget = (budget + 1) / 2, tailBudget = budget - headBudget
        for character in characters {
            let columns = of(character)
            if headWidth + columns > headBudget { break }
            head.append(character)
            headWidth += columns
        }
        for character in characters.reversed() {
            let columns = of(character)
            if tailWidth + columns > tailBudget { break }
            tail.append(character)
            tailWidth += columns
        }
        return head + ellipsis + String(tail.reversed())
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns; `alignRight` pads on the left.
    static func fit(_ text: String, to width: Int, alignRight: Bool = false, ellipsis: String = "…", middle: Bool = false) -> String {
        let cut = middle ? truncateMiddle(text, to: width, ellipsis: ellipsis) : truncate(text, to: width, ellipsis: ellipsis)
        let padding = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? padding + cut : cut + padding
    }

    /// Splits `text` into lines of at most `width` columns, breaking at spaces when it can.
    static func wrap(_ text: String, to width: Int) -> [String] {
        guard width > 0 else { return [] }
        if of(text) <= width { return [text] }
        var lines: [String] = []
        var current: [Character] = []
        var used = 0
        for character in text {
            let columns = of(character)
            if used + columns > width {
                if let space = current.lastIndex(of: " "), space > 0 {
                    lines.append(String(current[..<space]))
                    current = Array(current[(space + 1)...])
                } else {
                    lines.append(String(current))
                    current = []
                }
                used = current.reduce(0) { $0 + of($1) }
                if used + columns > width {
                    lines.append(String(current))
                    current = []
                    used = 0
                }
            }
            current.append(character)
            used += columns
        }
        lines.append(String(current))
        return lines
    }
}
