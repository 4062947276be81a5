import Foundation

/// Short, fixed-width renderings of ids, times, durations and rates.
enum Format {
    /// `evt_01JD3M5Q9X6K8T2V4W7Y0Z1A2B` → `evt_…Z1A2B` (prefix and the last five characters,
    /// which carry the random part of the ULID).
    /// A cluster node's id as the header shows it: its random suffix (`node_web1_k3x9q2` → `k3x9q2`).
    static func shortNodeID(_ id: String) -> String {
        if let last = id.split(separator: "_").last, id.contains("_"), !last.isEmpty { return String(last.suffix(8)) }
        return String(id.suffix(8))
    }

    static func shortID(_ id: String, ellipsis: String = "…") -> String {
        guard let underscore = id.firstIndex(of: "_"), id.count > 14 else { return id }
        return String(id[...underscore]) + ellipsis + String(id.suffix(5))
    }

    /// `HH:mm:ss` in `timeZone`.
    static func clock(_ date: Date, timeZone: TimeZone) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        let ofDay = ((seconds % 86400) + 86400) % 86400
        return String(format: "%02d:%02d:%02d", ofDay / 3600, ofDay / 60 % 60, ofDay % 60)
    }

    /// `2027-01-15 08:00:00` in `timeZone`, with its offset.
    static func timestamp(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let zone = offset == 0 ? "Z" : String(format: "%+03d:%02d", offset / 3600, abs(offset) / 60 % 60)
        return String(format: "%04d-%02d-%02d ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            + clock(date, timeZone: timeZone) + zone
    }

    /// A span of seconds as `4s`, `3m12s`, `2h05m`, `3d04h`.
    static func span(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(interval.rounded(.down)))
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" }
        if seconds < 86400 { return "\(seconds / 3600)h\(String(format: "%02d", seconds / 60 % 60))m" }
        return "\(seconds / 86400)d\(String(format: "%02d", seconds / 3600 % 24))h"
    }

    /// How long ago `date` was: `12s ago`.
    static func ago(_ date: Date, now: Date) -> String {
        span(now.timeIntervalSince(date)) + " ago"
    }

    /// Time until `date`: `in 4m12s`, or `due` when it has come.
    static func countdown(to date: Date, now: Date) -> String {
        let remaining = date.timeIntervalSince(now)
        return remaining < 1 ? "due" : "in " + span(remaining)
    }

    /// Milliseconds as `340ms` or `1.2s`.
    static func duration(milliseconds: Int) -> String {
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds < 10_000 { return String(format: "%.1fs", Double(milliseconds) / 1000) }
        return "\(milliseconds / 1000)s"
    }

    /// A share 0...1 as `98%` (one decimal under 100 % when it matters: `99.5%`).
    static func percent(_ share: Double) -> String {
        let value = share * 100
        if value >= 99.95 { return "100%" }
        if value > 99 { return String(format: "%.1f%%", value) }
        return String(format: "%.0f%%", value)
    }

    /// A rate per second: `0`, `4.2`, `37`, `1.2k`.
    static func rate(_ value: Double) -> String {
        if value <= 0 { return "0" }
        if value < 10 { return String(format: "%.1f", value) }
        if value < 1000 { return String(format: "%.0f", value) }
        return String(format: "%.1fk", value / 1000)
    }

    /// The host (and port) of a URL, or the URL itself when it does not parse.
    static func host(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return url }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    /// A URL without its scheme and query: host, port and path
    /// (`https://crm.internal:8443/webhooks/in?token=x` → `crm.internal:8443/webhooks/in`).
    /// The query is left out: it may carry a token.
    static func location(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return url }
        let port = components.port.map { ":\($0)" } ?? ""
        let path = components.percentEncodedPath == "/" ? "" : components.percentEncodedPath
        return host + port + path
    }

    /// `1204311` → `1,204,311`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (number < 0 ? "-" : "") + result
    }

    /// A count in at most 6 columns below 10¹⁵: `99,999`, then `123k`, `1.2M`, `123M`, `4G`.
    static func compact(_ number: Int) -> String {
        if number < 100_000 { return grouped(number) }
        if number < 1_000_000 { return "\(number / 1000)k" }
        if number < 9_950_000 { return String(format: "%.1fM", Double(number) / 1_000_000) }
        if number < 1_000_000_000 { return "\(number / 1_000_000)M" }
        return "\(number / 1_000_000_000)G"
    }

    /// "1 endpoint", "3 endpoints".
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
