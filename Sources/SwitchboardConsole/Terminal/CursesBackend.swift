import CNCursesw
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only code that talks to curses: sets the terminal up and gives it back, reads
/// keys, and blits frames. Every call must come from one thread (``CursesTerminal``'s).
///
/// Blitting diffs the new frame against the previous one and writes only the cells that
/// changed; the screen is never cleared per frame. Curses then sends only what differs
/// from what the terminal shows.
final class CursesBackend {
    let capabilities: TerminalCapabilities
    private let sheet: StyleSheet
    private var attributes: [attr_t]
    private var previous: Frame?
    private var active = true
    private var savedSignals: [Int32: sigaction] = [:]
    private var cursorVisible = false
    private var pasteDecoder = PasteDecoder()

    /// Asks the terminal to bracket pasted text (xterm's mode 2004).
    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"

    /// Signals that end the process abnormally: the terminal is restored before it dies.
    private static let fatalSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]
    /// Termination signals, guarded only when nobody else handles them (a `ServiceGroup`
    /// that traps SIGTERM and SIGINT cancels the console instead, which restores the terminal).
    private static let terminationSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT]

    init() throws(ConsoleError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" { throw ConsoleError.unusableTerminal(term) }
        setlocale(LC_ALL, "")
        let codeset = String(cString: sb_codeset()).uppercased().replacingOccurrences(of: "-", with: "")
        let unicode = codeset == "UTF8"
        guard let screen = sb_newterm() else { throw ConsoleError.unusableTerminal(term) }
        set_term(screen)
        // A terminal without cursor addressing would show a blank screen: say so instead.
        let cup = tigetstr("cup")
        if cup == nil || Int(bitPattern: cup) == -1 {
            endwin()
            delscreen(screen)
            throw ConsoleError.unusableTerminal(term)
        }
        raw()  // Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys: the console decides.
        noecho()
        nonl()
        keypad(sb_stdscr(), true)
        nodelay(sb_stdscr(), true)
        intrflush(sb_stdscr(), false)
        set_escdelay(25)
        curs_set(0)
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        var color = false
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            color = sb_color_count() >= 8
        }
        sheet = color ? .colored : .monochrome
        attributes = []
        capabilities = TerminalCapabilities(
            size: TerminalSize(columns: Int(sb_cols()), rows: Int(sb_lines())), unicode: unicode, color: color)
        attributes = Self.makeAttributes(sheet)
        installSignalGuards()
        Self.writeRaw(Self.bracketedPasteOn)
    }

    /// One curses attribute value per role, allocating a colour pair per foreground and
    /// background combination.
    private static func makeAttributes(_ sheet: StyleSheet) -> [attr_t] {
        var pairs: [[Int16]: Int16] = [:]
        return StyleRole.allCases.map { role in
            let style = sheet.style(for: role)
            var value = sb_attr_normal()
            if sheet.usesColor && (style.foreground != .default || style.background != .default) {
                let key = [style.foreground.rawValue, style.background.rawValue]
                let pair: Int16
                if let existing = pairs[key] {
                    pair = existing
                } else {
                    pair = Int16(pairs.count + 1)
                    init_pair(pair, style.foreground.rawValue, style.background.rawValue)
                    pairs[key] = pair
                }
                value |= sb_color_pair(pair)
            }
            if style.bold { value |= sb_attr_bold() }
            if style.dim { value |= sb_attr_dim() }
            if style.reverse { value |= sb_attr_reverse() }
            if style.underline { value |= sb_attr_underline() }
            return value
        }
    }

    // MARK: Signals

    private func installSignalGuards() {
        for signal in Self.fatalSignals + Self.terminationSignals {
            if Self.terminationSignals.contains(signal) && sb_signal_is_default(signal) == 0 { continue }
            var previous = sigaction()
            if sb_install_fatal_handler(signal, &previous) == 0 { savedSignals[signal] = previous }
        }
    }

    private func removeSignalGuards() {
        for (signal, var previous) in savedSignals { _ = sb_restore_signal(signal, &previous) }
        savedSignals = [:]
    }

    /// Writes `text` straight to the terminal (escape sequences curses does not know).
    static func writeRaw(_ text: String) {
        fflush(nil)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
        }
    }

    /// Copies `text` to the clipboard of the terminal (or of the terminal tmux runs in)
    /// with OSC 52.
    func copyToClipboard(_ text: String) {
        let encoded = Data(text.utf8).base64EncodedString()
        let osc = "\u{1B}]52;c;\(encoded)\u{07}"
        // Inside tmux, pass the sequence through to the outer terminal as well.
        if ProcessInfo.processInfo.environment["TMUX"] != nil {
            Self.writeRaw("\u{1B}Ptmux;\u{1B}" + osc.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}").dropFirst(2) + "\u{1B}\\")
        }
        Self.writeRaw(osc)
    }

    /// Ctrl-Z: gives the terminal back and stops the process (as SIGTSTP would); when the shell's
    /// `fg` continues it (SIGCONT), takes the terminal again and redraws everything.
    func suspend() -> TerminalSize {
        Self.writeRaw(Self.bracketedPasteOff)
        if !cursorVisible { curs_set(1) }
        endwin()
        // SIGSTOP, not SIGTSTP: curses catches SIGTSTP for its own handling, which would
        // fight this one; SIGSTOP cannot be caught, and the shell's `fg` continues it alike.
        // Sent to this thread (`raise`), not the process (`kill(getpid())`): a process-directed
        // signal may be taken by another thread, and on a busy machine this one then returned,
        // repainted and drew on until the stop caught up, leaving the shell's lines on screen.
        raise(SIGSTOP)
        // Continued.
        refresh()
        if !cursorVisible { curs_set(0) }
        Self.writeRaw(Self.bracketedPasteOn)
        previous = nil
        clearok(sb_stdscr(), true)
        return TerminalSize(columns: Int(sb_cols()), rows: Int(sb_lines()))
    }

    // MARK: Input

    /// Every key, paste and resize waiting, without blocking.
    func readEvents() -> [TerminalEvent] {
        var events: [TerminalEvent] = []
        var character: wint_t = 0
        while events.count < 256 {
            let result = wget_wch(sb_stdscr(), &character)
            if result == ERR {
                events += decoded(pasteDecoder.flush())
                break
            }
            if result == KEY_CODE_YES {
                // Function keys inside a paste are pasted bytes curses misread: dropped.
                if pasteDecoder.inPaste { continue }
                if Int32(character) == KEY_RESIZE {
                    previous = nil
                    events.append(.resize(TerminalSize(columns: Int(sb_cols()), rows: Int(sb_lines()))))
                } else if let key = Self.functionKey(Int32(character)) {
                    events.append(.key(key))
                }
            } else {
                events += decoded(pasteDecoder.feed(UInt32(character)))
            }
        }
        return events
    }

    private func decoded(_ outputs: [PasteDecoder.Output]) -> [TerminalEvent] {
        outputs.compactMap { output in
            switch output {
            case .paste(let text): .paste(text)
            case .character(let value): Self.characterKey(value).map(TerminalEvent.key)
            }
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_NPAGE: .pageDown
        case KEY_PPAGE: .pageUp
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BTAB: .backTab
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_ENTER: .enter
        default: nil
        }
    }

    private static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(UnicodeScalar(UInt8(value) + 96)))
        case 0..<32: return nil
        default:
            guard let scalar = UnicodeScalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    // MARK: Output

    /// Writes the cells of `frame` that differ from the previous frame, then refreshes.
    func draw(_ frame: Frame) {
        guard active else { return }
        let full = previous.map { $0.width != frame.width || $0.height != frame.height } ?? true
        for y in 0..<frame.height {
            let row = Array(frame.row(y))
            var start = 0, end = row.count - 1
            if !full, let old = previous {
                let oldRow = Array(old.row(y))
                guard let first = row.indices.first(where: { row[$0] != oldRow[$0] }) else { continue }
                let last = row.indices.last { row[$0] != oldRow[$0] }!
                start = first
                end = last
            }
            while start > 0 && row[start].isContinuation { start -= 1 }
            if end + 1 < row.count && row[end + 1].isContinuation { end += 1 }
            writeRun(row, from: start, through: end, y: y)
        }
        if let cursor = frame.cursor {
            if !cursorVisible { curs_set(1); cursorVisible = true }
            move(Int32(cursor.y), Int32(cursor.x))
        } else if cursorVisible {
            curs_set(0)
            cursorVisible = false
        }
        wnoutrefresh(sb_stdscr())
        doupdate()
        previous = frame
    }

    private func writeRun(_ row: [Cell], from start: Int, through end: Int, y: Int) {
        guard start <= end else { return }
        move(Int32(y), Int32(start))
        var index = start
        while index <= end {
            let role = row[index].role
            var text = ""
            while index <= end && row[index].role == role {
                if !row[index].isContinuation { text.append(row[index].character) }
                index += 1
            }
            _ = sb_attrset(attributes[Int(role.rawValue)])
            _ = addstr(text)
        }
        _ = sb_attrset(sb_attr_normal())
    }

    /// Gives the terminal back: ends curses mode and restores the signal actions.
    func shutdown() {
        guard active else { return }
        active = false
        Self.writeRaw(Self.bracketedPasteOff)
        if !cursorVisible { curs_set(1) }
        endwin()
        removeSignalGuards()
    }

    deinit { shutdown() }
}
