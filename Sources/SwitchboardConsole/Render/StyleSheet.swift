/// A terminal colour, or the terminal's default.
enum TerminalColor: Int16, Sendable, Hashable {
    case `default` = -1
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// How a role looks: colours and attributes.
struct TextStyle: Sendable, Hashable {
    var foreground: TerminalColor = .default
    var background: TerminalColor = .default
    var bold = false
    var dim = false
    var reverse = false
    var underline = false

    /// One character naming the attributes (not the colours), for the monochrome golden layer:
    /// `.` none, `b` bold, `d` dim, `r` reverse, `u` underline, `R` bold reverse, `U` bold underline.
    var attributeCode: Character {
        switch (bold, dim, reverse, underline) {
        case (true, _, true, _): "R"
        case (true, _, _, true): "U"
        case (true, _, _, _): "b"
        case (_, _, true, _): "r"
        case (_, true, _, _): "d"
        case (_, _, _, true): "u"
        default: "."
        }
    }
}

/// Maps every ``StyleRole`` to a ``TextStyle``.
///
/// ``colored`` is the normal look; ``monochrome`` is used when `NO_COLOR` is set or the
/// terminal has no colours: attributes only, and every state still reads as a glyph and a word.
struct StyleSheet: Sendable {
    let usesColor: Bool
    private let styles: [TextStyle]

    private init(usesColor: Bool, _ style: (StyleRole) -> TextStyle) {
        self.usesColor = usesColor
        self.styles = StyleRole.allCases.map(style)
    }

    func style(for role: StyleRole) -> TextStyle { styles[Int(role.rawValue)] }

    static let colored = StyleSheet(usesColor: true) { role in
        switch role {
        case .plain: TextStyle()
        case .muted: TextStyle(foreground: .white, dim: true)
        case .header: TextStyle(foreground: .white, background: .blue)
        case .brand: TextStyle(foreground: .white, background: .blue, bold: true)
        case .border: TextStyle(foreground: .white, dim: true)
        case .borderFocused: TextStyle(foreground: .cyan, bold: true)
        case .title: TextStyle(foreground: .white)
        case .titleFocused: TextStyle(foreground: .cyan, bold: true)
        case .columnHeader: TextStyle(foreground: .white, dim: true, underline: true)
        case .selection: TextStyle(foreground: .black, background: .cyan)
        case .selectionInactive: TextStyle(reverse: true)
        case .ok: TextStyle(foreground: .green)
        case .warning: TextStyle(foreground: .yellow)
        case .error: TextStyle(foreground: .red, bold: true)
        case .paused: TextStyle(foreground: .magenta)
        case .info: TextStyle(foreground: .blue, bold: true)
        case .badge: TextStyle(foreground: .black, background: .yellow, bold: true)
        case .key: TextStyle(foreground: .cyan, bold: true)
        case .footer: TextStyle()
        case .flashSuccess: TextStyle(foreground: .green, bold: true)
        case .flashError: TextStyle(foreground: .white, background: .red, bold: true)
        case .flashInfo: TextStyle(foreground: .cyan)
        case .modal: TextStyle()
        case .modalBorder: TextStyle(foreground: .yellow, bold: true)
        case .input: TextStyle(underline: true)
        case .secret: TextStyle(foreground: .yellow, bold: true)
        }
    }

    static let monochrome = StyleSheet(usesColor: false) { role in
        switch role {
        case .plain, .footer, .modal, .title, .ok, .flashInfo: TextStyle()
        case .muted, .border, .paused: TextStyle(dim: true)
        case .header, .selection: TextStyle(reverse: true)
        case .brand, .flashError: TextStyle(bold: true, reverse: true)
        case .selectionInactive, .columnHeader, .input: TextStyle(underline: true)
        case .badge: TextStyle(bold: true, underline: true)
        case .borderFocused, .titleFocused, .warning, .error, .info, .key, .flashSuccess, .modalBorder, .secret:
            TextStyle(bold: true)
        }
    }
}
