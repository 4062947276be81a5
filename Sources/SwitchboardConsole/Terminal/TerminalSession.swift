/// What a terminal can do, learned when it starts.
struct TerminalCapabilities: Sendable, Hashable {
    var size: TerminalSize
    /// The locale's character set is UTF-8: box drawing and state glyphs may be used.
    var unicode: Bool
    /// Colours are used (a colour terminal and no `NO_COLOR`).
    var color: Bool
}

/// What a terminal reports.
enum TerminalEvent: Sendable, Hashable {
    case ready(TerminalCapabilities)
    case key(Key)
    /// Text pasted with bracketed paste: never read as keys.
    case paste(String)
    case resize(TerminalSize)
    /// The terminal could not be set up.
    case failed(String)
    /// The terminal went away (standard input closed).
    case closed
}

/// A terminal the console draws on: started once, fed frames, stopped once.
///
/// ``CursesTerminal`` is the real one; tests use a fake that records frames.
protocol TerminalSession: Sendable {
    /// Keys, resizes and lifecycle events, in order.
    var events: AsyncStream<TerminalEvent> { get }
    /// Takes over the terminal; ``events`` then starts with `.ready` or `.failed`.
    func start()
    /// Shows `frame` (the newest frame wins when several are waiting).
    func present(_ frame: Frame)
    /// Ctrl-Z: gives the terminal back and stops the process until the shell continues it
    /// (`fg`); then redraws and reports the size as a `.resize`.
    func suspend()
    /// Puts `text` on the clipboard (OSC 52).
    func copy(_ text: String)
    /// Gives the terminal back. Safe to call more than once.
    func stop()
    /// Returns once the terminal has been given back (at once if it never started).
    func waitUntilStopped() async
}
