/// Finds bracketed pastes in the characters curses reads: the terminal wraps pasted text in
/// `ESC [ 200 ~` … `ESC [ 201 ~` (once `ESC [ ? 2004 h` asked it to), and everything between
/// is text, never keys. Other characters pass through unchanged, in order.
struct PasteDecoder: Sendable {
    /// What the decoder hands on.
    enum Output: Sendable, Hashable {
        /// A character read outside a paste (a key).
        case character(UInt32)
        /// The text of one whole paste.
        case paste(String)
    }

    static let start: [UInt32] = [27, 91, 50, 48, 48, 126]  // ESC [ 2 0 0 ~
    static let end: [UInt32] = [27, 91, 50, 48, 49, 126]  // ESC [ 2 0 1 ~
    /// Most characters kept of one paste; the rest are dropped.
    static let maximumPaste = 64 * 1024

    /// A possible start sequence being read.
    private var pending: [UInt32] = []
    /// The paste being read, when inside one.
    private var pasted: [UInt32]?

    /// Whether a paste has started and not ended.
    var inPaste: Bool { pasted != nil }

    /// Feeds one character.
    mutating func feed(_ value: UInt32) -> [Output] {
        if pasted != nil {
            pasted!.append(value)
            if pasted!.count >= Self.end.count && Array(pasted!.suffix(Self.end.count)) == Self.end {
                let text = pasted!.dropLast(Self.end.count).prefix(Self.maximumPaste).compactMap(UnicodeScalar.init).map(Character.init)
                pasted = nil
                return [.paste(String(text))]
            }
            // Bound memory on an endless paste: keep the tail that may hold the end mark.
            if pasted!.count > Self.maximumPaste + Self.end.count { pasted!.remove(at: Self.maximumPaste) }
            return []
        }
        guard !pending.isEmpty || value == 27 else { return [.character(value)] }
        pending.append(value)
        if pending == Self.start {
            pending = []
            pasted = []
            return []
        }
        if Self.start.starts(with: pending) { return [] }
        // Not a paste: hand on what was held, then read the last character afresh (it may
        // begin a new sequence).
        let held = pending.dropLast()
        pending = []
        return held.map(Output.character) + feed(value)
    }

    /// Hands on a held partial sequence when no more input is waiting (a lone Esc).
    mutating func flush() -> [Output] {
        guard pasted == nil, !pending.isEmpty else { return [] }
        defer { pending = [] }
        return pending.map(Output.character)
    }
}
