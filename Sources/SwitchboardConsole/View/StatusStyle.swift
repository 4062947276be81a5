import SwitchboardCore

/// Every state as a glyph, a word and a role: colour adds to the glyph and word, it never
/// replaces them (`NO_COLOR` shows the same text).
enum StatusStyle {
    static func endpoint(_ status: EndpointStatus, _ glyphs: Glyphs) -> Span {
        switch status {
        case .active: Span("\(glyphs.active) active", .ok)
        case .failing: Span("\(glyphs.failing) failing", .error)
        case .disabled: Span("\(glyphs.disabled) disabled", .paused)
        }
    }

    static func event(_ status: Event.Status, _ glyphs: Glyphs) -> Span {
        switch status {
        case .queued: Span("\(glyphs.scheduled) QUEUED", .info)
        case .delivered: Span("\(glyphs.succeeded) DELIVERED", .ok)
        case .partial: Span("\(glyphs.partial) PARTIAL", .warning)
        case .failed: Span("\(glyphs.failed) FAILED", .error)
        case .replayed: Span("\(glyphs.replayed) REPLAYED", .muted)
        }
    }

    static func delivery(_ state: Delivery.State, _ glyphs: Glyphs) -> Span {
        switch state {
        case .pending: Span("\(glyphs.pending) pending", .info)
        case .inFlight: Span("\(glyphs.inFlight) in flight", .info)
        case .scheduled: Span("\(glyphs.scheduled) scheduled", .warning)
        case .succeeded: Span("\(glyphs.succeeded) succeeded", .ok)
        case .failed: Span("\(glyphs.failed) failed", .error)
        case .paused: Span("\(glyphs.paused) paused", .paused)
        case .cancelled: Span("\(glyphs.cancelled) cancelled", .muted)
        }
    }

    /// An attempt's result: `✓ 200`, `✗ 503`, `✗ timeout`.
    static func attempt(_ attempt: Attempt, _ glyphs: Glyphs) -> Span {
        let outcome = attempt.statusCode.map(String.init) ?? attempt.errorClass ?? "error"
        return attempt.succeeded ? Span("\(glyphs.succeeded) \(outcome)", .ok) : Span("\(glyphs.failed) \(outcome)", .error)
    }

    /// A last-status word (a status code or an error class) in its role.
    static func outcome(_ text: String?) -> Span {
        guard let text, !text.isEmpty else { return Span("-", .muted) }
        if let code = Int(text) {
            switch code {
            case 200..<300: return Span(text, .ok)
            case 400..<500 where code != 408 && code != 429: return Span(text, .warning)
            default: return Span(text, .error)
            }
        }
        return Span(text, .error)
    }
}
