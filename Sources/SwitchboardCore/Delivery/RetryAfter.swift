import Foundation

/// A receiver's `Retry-After` header, read on the engine's clock.
public enum RetryAfter {
    /// The delay `header` asks for, counted from `now`: delta-seconds (`120`) or an HTTP date
    /// (`Wed, 21 Oct 2026 07:28:00 GMT`, whose distance is measured from `now`, never from
    /// the machine's wall clock). `nil` when it is neither.
    public static func delay(_ header: String, now: Date) -> TimeInterval? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return TimeInterval(max(0, seconds)) }
        return httpDate(trimmed).map { max(0, $0.timeIntervalSince(now)) }
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
