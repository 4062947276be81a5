/// What a cell means, not how it looks: the backend maps each role to colours or, with
/// `NO_COLOR`, to attributes only (see ``StyleSheet``).
///
/// Every role has a one-character ``code`` so tests can print a frame's style layer as text.
enum StyleRole: UInt8, Sendable, Hashable, CaseIterable {
    case plain
    case muted
    case header
    case brand
    case border
    case borderFocused
    case title
    case titleFocused
    case columnHeader
    case selection
    case selectionInactive
    case ok
    case warning
    case error
    case paused
    case info
    case badge
    case key
    case footer
    case flashSuccess
    case flashError
    case flashInfo
    case modal
    case modalBorder
    case input
    case secret

    /// One character naming the role in a golden style layer.
    var code: Character {
        switch self {
        case .plain: "."
        case .muted: "m"
        case .header: "h"
        case .brand: "H"
        case .border: "b"
        case .borderFocused: "B"
        case .title: "t"
        case .titleFocused: "T"
        case .columnHeader: "c"
        case .selection: "s"
        case .selectionInactive: "S"
        case .ok: "g"
        case .warning: "y"
        case .error: "r"
        case .paused: "p"
        case .info: "i"
        case .badge: "n"
        case .key: "k"
        case .footer: "f"
        case .flashSuccess: "G"
        case .flashError: "R"
        case .flashInfo: "I"
        case .modal: "M"
        case .modalBorder: "W"
        case .input: "e"
        case .secret: "x"
        }
    }
}
