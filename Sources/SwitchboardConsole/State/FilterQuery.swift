import SwitchboardCore

/// A pane's filter, parsed from what the operator typed after `/`.
///
/// Words of the form `type:order.*`, `status:failed` and `endpoint:billing` (or `ep:`) are
/// field filters; every other word is free text that must appear (case-insensitively) in
/// the row. The events pane sends type, status and endpoint to the store; free text
/// filters the rows loaded.
struct FilterQuery: Sendable, Hashable {
    /// What was typed.
    var text: String
    var eventType: String?
    var status: String?
    var endpoint: String?
    var terms: [String]

    init(_ text: String) {
        self.text = text
        var terms: [String] = []
        var eventType: String?, status: String?, endpoint: String?
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            let lower = word.lowercased()
            if let value = Self.value(of: lower, keys: ["type:", "t:"]), !value.isEmpty {
                eventType = String(word.dropFirst(word.count - value.count))
            } else if let value = Self.value(of: lower, keys: ["status:", "s:"]), !value.isEmpty {
                status = value
            } else if let value = Self.value(of: lower, keys: ["endpoint:", "ep:", "e:"]), !value.isEmpty {
                endpoint = value
            } else {
                terms.append(lower)
            }
        }
        self.eventType = eventType
        self.status = status
        self.endpoint = endpoint
        self.terms = terms
    }

    private static func value(of word: String, keys: [String]) -> String? {
        for key in keys where word.hasPrefix(key) { return String(word.dropFirst(key.count)) }
        return nil
    }

    var isEmpty: Bool { eventType == nil && status == nil && endpoint == nil && terms.isEmpty }

    /// Whether the filter has words the store cannot apply.
    var hasFreeText: Bool { !terms.isEmpty }

    /// Whether every free-text word appears in one of `fields`.
    func matchesTerms(_ fields: [String]) -> Bool {
        guard !terms.isEmpty else { return true }
        let haystack = fields.joined(separator: " ").lowercased()
        return terms.allSatisfy { haystack.contains($0) }
    }

    /// Whether an event type matches the `type:` filter (exact, or `prefix.*`, or a prefix).
    func matchesEventType(_ type: String) -> Bool {
        guard let eventType else { return true }
        if eventType.hasSuffix("*") { return EventTypeFilter([eventType]).matches(type) || type.hasPrefix(eventType.dropLast()) }
        return type == eventType
    }

    /// Whether a status word matches the `status:` filter (prefix, case-insensitive).
    func matchesStatus(_ words: String...) -> Bool {
        guard let status else { return true }
        return words.contains { $0.lowercased().hasPrefix(status) }
    }

    /// Whether an endpoint (by id or name) matches the `endpoint:` filter.
    func matchesEndpoint(id: String, name: String?) -> Bool {
        guard let endpoint else { return true }
        return id.lowercased() == endpoint || (name?.lowercased().contains(endpoint) ?? false)
    }

    /// The event status the `status:` filter names, when it names one.
    var eventStatus: Event.Status? {
        guard let status else { return nil }
        return Event.Status.allCases.first { $0.rawValue.lowercased().hasPrefix(status) }
    }
}
