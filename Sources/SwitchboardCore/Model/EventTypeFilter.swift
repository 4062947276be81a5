/// Matches event types against a subscription list of exact names and `prefix.*`
/// wildcards. An empty list matches everything; `*` alone matches everything too.
public struct EventTypeFilter: Sendable, Hashable {
    public let patterns: [String]

    public init(_ patterns: [String]) { self.patterns = patterns }

    public func matches(_ eventType: String) -> Bool {
        if patterns.isEmpty { return true }
        return patterns.contains { pattern in
            if pattern == "*" { return true }
            if pattern.hasSuffix(".*") {
                let prefix = pattern.dropLast(1)  // keeps the dot: "order."
                return eventType.hasPrefix(prefix) && eventType.count > prefix.count
            }
            return pattern == eventType
        }
    }

    /// Whether `pattern` is a valid subscription entry: a non-empty name of letters,
    /// digits and `._-:/`, optionally ending in `.*`, or `*` alone.
    public static func isValidPattern(_ pattern: String) -> Bool {
        if pattern == "*" { return true }
        let name = pattern.hasSuffix(".*") ? String(pattern.dropLast(2)) : pattern
        return EventType.isValid(name)
    }
}

/// Rules for event type names.
public enum EventType {
    /// Longest accepted event type name.
    public static let maxLength = 256

    /// Whether `name` is 1–256 characters of letters, digits and `._-:/`.
    public static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= maxLength else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
                || "._-:/".unicodeScalars.contains(scalar)
        }
    }
}
