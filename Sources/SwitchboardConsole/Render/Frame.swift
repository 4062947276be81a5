/// A position on the screen, in columns and rows from the top left.
struct Point: Sendable, Hashable {
    var x: Int
    var y: Int
}

/// A rectangle of cells.
struct Rect: Sendable, Hashable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    var maxX: Int { x + width }
    var maxY: Int { y + height }
    var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The rectangle shrunk by `amount` on every side.
    func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: max(0, width - 2 * amount), height: max(0, height - 2 * amount))
    }
}

/// One screen cell: a character (one grapheme) and the role it plays.
///
/// A wide character takes two cells: the first holds it, the second is a continuation
/// cell that the backend never writes.
struct Cell: Sendable, Hashable {
    var character: Character
    var role: StyleRole
    var isContinuation: Bool

    init(_ character: Character = " ", role: StyleRole = .plain, isContinuation: Bool = false) {
        self.character = character
        self.role = role
        self.isContinuation = isContinuation
    }

    static let blank = Cell()
}

/// A whole screen as a grid of cells: what the renderer draws and the backend blits.
///
/// Writing never goes outside the grid, control characters are never stored, and a wide
/// character that does not fit at the end of a line becomes a space.
struct Frame: Sendable, Equatable {
    let width: Int
    let height: Int
    private(set) var cells: [Cell]
    /// Where the terminal cursor should show (a text prompt), or `nil` to hide it.
    var cursor: Point?
    /// Whether only ASCII may be stored (non-ASCII becomes `?`).
    var asciiOnly: Bool

    init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
        self.asciiOnly = asciiOnly
    }

    subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// The cells of row `y`.
    func row(_ y: Int) -> ArraySlice<Cell> {
        cells[(y * width)..<((y + 1) * width)]
    }

    /// Fills `rect` (clipped to the frame) with `character` in `role`.
    mutating func fill(_ rect: Rect, with character: Character = " ", role: StyleRole = .plain) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { set(Cell(character, role: role), x: x, y: y) }
        }
    }

    /// Sets the role of the cells of `rect` without changing their characters.
    mutating func restyle(_ rect: Rect, role: StyleRole) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { cells[y * width + x].role = role }
        }
    }

    /// Writes `text` from (`x`, `y`) in `role`, clipped to `maxWidth` columns (and the frame).
    /// Returns the number of columns written.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for character in TextWidth.sanitized(text, ascii: asciiOnly) {
            let columns = TextWidth.of(character)
            guard columns > 0 else { continue }
            if column + columns > limit {
                if column < limit && column >= 0 { set(Cell(" ", role: role), x: column, y: y) ; column += 1 }
                break
            }
            if column >= 0 {
                set(Cell(character, role: role), x: column, y: y)
                if columns == 2 { set(Cell(" ", role: role, isContinuation: true), x: column + 1, y: y) }
            }
            column += columns
        }
        return max(0, column - x)
    }

    /// Writes `spans` one after another from (`x`, `y`) within `maxWidth` columns; returns columns written.
    @discardableResult
    mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int) -> Int {
        var used = 0
        for span in spans {
            guard used < maxWidth else { break }
            used += put(span.text, x: x + used, y: y, role: span.role, maxWidth: maxWidth - used)
        }
        return used
    }

    private mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        // Overwriting half of a wide character blanks its other half.
        if cells[index].isContinuation, x > 0, !cell.isContinuation {
            cells[index - 1] = Cell(" ", role: cells[index - 1].role)
        }
        if !cells[index].isContinuation, x + 1 < width, cells[index + 1].isContinuation, !cell.isContinuation {
            cells[index + 1] = Cell(" ", role: cells[index + 1].role)
        }
        cells[index] = cell
    }

    // MARK: Text dumps (golden files, tests)

    /// Row `y` as text, wide characters once, exactly `width` columns wide.
    func text(ofRow y: Int) -> String {
        var line = ""
        for cell in row(y) where !cell.isContinuation { line.append(cell.character) }
        return line
    }

    /// Row `y`'s roles, one ``StyleRole/code`` per column.
    func styleCodes(ofRow y: Int) -> String {
        String(row(y).map(\.role.code))
    }

    /// The whole frame as text, one line per row.
    var plainText: String {
        (0..<height).map { text(ofRow: $0) }.joined(separator: "\n") + "\n"
    }

    /// The style layer, one character per cell naming its role.
    var styleText: String {
        (0..<height).map { styleCodes(ofRow: $0) }.joined(separator: "\n") + "\n"
    }

    /// The style layer as a style sheet's attribute codes (see ``TextStyle/attributeCode``).
    func attributeText(_ sheet: StyleSheet) -> String {
        (0..<height).map { y in String(row(y).map { sheet.style(for: $0.role).attributeCode }) }
            .joined(separator: "\n") + "\n"
    }
}

/// A run of text in one role.
struct Span: Sendable, Hashable {
    var text: String
    var role: StyleRole

    init(_ text: String, _ role: StyleRole = .plain) {
        self.text = text
        self.role = role
    }

    var width: Int { TextWidth.of(text) }
}
