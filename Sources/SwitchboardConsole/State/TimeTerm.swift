import Foundation

/// A point in time as an operator types it: a span back from now (`90s`, `15m`, `2h`, `3d`)
/// or a date and time (`2026-12-01T10:00`, `2026-12-01T10:00:00Z`, `2026-12-01`) in the
/// console's zone unless it names one.
enum TimeTerm {
    /// The time `text` names at `now`, or a message saying what is wrong.
    static func parse(_ text: String, now: Date, timeZone: TimeZone) -> Result<Date, TimeTermError> {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return .failure(TimeTermError("give a time: 15m, 2h, 3d or 2026-12-01T10:00")) }
        if let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 {
            let seconds: Double? =
                switch unit {
                case "s": 1
                case "m": 60
                case "h": 3600
                case "d": 86400
                case "w": 7 * 86400
                default: nil
                }
            if let seconds {
                guard amount * seconds <= 3650 * 86400 else { return .failure(TimeTermError("\(text) is more than ten years back")) }
                return .success(now.addingTimeInterval(-amount * seconds))
            }
        }
        for format in ["yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mmXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = timeZone
            formatter.dateFormat = format
            if let date = formatter.date(from: text.uppercased()) { return .success(date) }
        }
        return .failure(TimeTermError("\"\(text)\" is not a time: use 15m, 2h, 3d or 2026-12-01T10:00"))
    }
}

/// Why a typed time was refused.
struct TimeTermError: Error, Sendable, Hashable {
    let message: String
    init(_ message: String) { self.message = message }
}
