/// The characters the console draws with: UTF-8 box drawing and state glyphs, or plain
/// ASCII when the locale's character set is not UTF-8.
struct Glyphs: Sendable, Hashable {
    var horizontal: String
    var vertical: String
    var topLeft: String
    var topRight: String
    var bottomLeft: String
    var bottomRight: String
    var ellipsis: String
    var separator: String
    /// Endpoint and delivery state glyphs.
    var active: String
    var failing: String
    var disabled: String
    var pending: String
    var inFlight: String
    var scheduled: String
    var succeeded: String
    var failed: String
    var paused: String
    var cancelled: String
    var partial: String
    var replayed: String
    /// An event whose delivery is scheduled again after a failed attempt.
    var retrying: String
    var following: String
    var frozen: String
    var arrowUp: String
    var arrowDown: String
    var enter: String
    /// The state glyphs, which must differ from each other and from ``ellipsis``.
    var stateGlyphs: [String] { [active, failing, disabled, pending, inFlight, scheduled, succeeded, failed, paused, cancelled, partial, replayed, retrying] }

    /// Whether text may contain characters outside ASCII.
    var allowsUnicode: Bool

    static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        ellipsis: "…", separator: "·",
        active: "●", failing: "▲", disabled: "■", pending: "○", inFlight: "◐", scheduled: "◷",
        succeeded: "✓", failed: "✗", paused: "‖", cancelled: "⊘", partial: "◑", replayed: "↻", retrying: "↺",
        following: "▼", frozen: "‖", arrowUp: "↑", arrowDown: "↓", enter: "⏎", allowsUnicode: true)

    static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        ellipsis: "~", separator: "|",
        active: "o", failing: "!", disabled: "#", pending: ".", inFlight: ">", scheduled: "*",
        succeeded: "+", failed: "x", paused: "=", cancelled: "/", partial: "%", replayed: "@", retrying: "R",
        following: "v", frozen: "_", arrowUp: "^", arrowDown: "v", enter: "Enter", allowsUnicode: false)
}
