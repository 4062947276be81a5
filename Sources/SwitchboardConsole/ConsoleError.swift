/// Why the console could not run.
public struct ConsoleError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }

    /// `TERM` names no terminal curses can draw on (unset, `dumb`, or unknown).
    static func unusableTerminal(_ term: String) -> ConsoleError {
        ConsoleError(
            "the console cannot draw on this terminal (TERM=\(term.isEmpty ? "unset" : term)): it needs cursor addressing; "
                + "set TERM to your terminal (e.g. TERM=xterm-256color), or run `switchboard serve` headless")
    }

    static let notATerminal = ConsoleError("the console needs a terminal: standard input and output must be a TTY (use `switchboard serve` to run headless)")
}
