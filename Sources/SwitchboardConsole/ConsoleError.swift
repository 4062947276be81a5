/// Why the console could not run.
public struct ConsoleError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }

    static let notATerminal = ConsoleError("the console needs a terminal: standard input and output must be a TTY (use `switchboard serve` to run headless)")
}
