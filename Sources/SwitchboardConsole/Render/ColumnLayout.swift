/// Fits list columns into a width: drops the lowest-priority columns until the minimum
/// widths fit, then shares what is left among the flexible columns by weight.
enum ColumnLayout {
    /// Gap between two columns.
    static let gap = 1

    /// The width of each column, or `nil` for a dropped one.
    static func widths(_ columns: [Column], available: Int) -> [Int?] {
        guard !columns.isEmpty, available > 0 else { return columns.map { _ in nil } }
        var active = Set(columns.indices)
        func required() -> Int {
            active.reduce(0) { $0 + columns[$1].width.minimum } + max(0, active.count - 1) * gap
        }
        while required() > available && active.count > 1 {
            let drop = active.min { lhs, rhs in
                (columns[lhs].priority, -lhs) < (columns[rhs].priority, -rhs)
            }!
            active.remove(drop)
        }
        var widths: [Int?] = columns.indices.map { active.contains($0) ? columns[$0].width.minimum : nil }
        var spare = available - required()
        if spare < 0, let only = active.first {
            widths[only] = available
            return widths
        }
        // Columns with an ideal width grow to it first, highest priority first.
        for index in columns.indices.sorted(by: { columns[$0].priority > columns[$1].priority }) where active.contains(index) && spare > 0 {
            guard case .upTo(let min, let ideal) = columns[index].width else { continue }
            let extra = Swift.min(spare, ideal - min)
            widths[index]! += extra
            spare -= extra
        }
        let flexible = columns.indices.filter { index in
            guard active.contains(index), case .flex = columns[index].width else { return false }
            return true
        }
        let totalWeight = flexible.reduce(0) { total, index in
            if case .flex(_, let weight) = columns[index].width { return total + max(1, weight) }
            return total
        }
        guard totalWeight > 0 else { return widths }
        let share = spare
        for index in flexible {
            guard case .flex(_, let weight) = columns[index].width else { continue }
            let extra = share * max(1, weight) / totalWeight
            widths[index]! += extra
            spare -= extra
        }
        if let first = flexible.first { widths[first]! += spare }
        return widths
    }
}
