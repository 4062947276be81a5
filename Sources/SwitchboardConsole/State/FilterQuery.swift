import Foundation
import SwitchboardCore

/// A pane's filter, parsed from what the operator typed after `/`.
///
/// Words of the form `type:order.*`, `status:failed`, `endpoint:billing` (or `ep:`),
/// `source:stripe`, `since:15m` / `since:2026-12-01T10:00` and `until:` are field filters;
/// a whole id (`evt_…`, `dlv_…`, `att_…`, `ep_…`) alone is an id to jump to; every other
/// word is free text. The events pane runs all of it in the store, over the whole history
/// (free text matches the event type and id there).
/// A term that cannot be understood is an error shown in the prompt, never ignored.
struct FilterQuery: Sendable, Hashable {
    /// What was typed.
    var text: String
    var eventType: String?
    var status: String?
    var endpoint: String?
    var source: String?
    /// `since:` and `until:` as typed (resolved against the clock when a query runs).
    var since: String?
    var until: String?
    /// A whole id typed or pasted alone.
    var id: String?
    var terms: [String]
    /// Terms that could not be understood, as messages.
    var errors: [String] = []

    /// The `status:` words of the events pane, at the delivery level.
    static let eventStatusWords = ["failed", "retrying", "partial", "delivered", "queued", "replayed"]
    /// Prefixes of the ids the console can jump to.
    static let idPrefixes = ["evt_", "dlv_", "att_", "ep_"]

    init(_ text: String) {
        self.text = text
        var terms: [String] = []
        var eventType: String?, status: String?, endpoint: String?, source: String?, since: String?, until: String?
        var errors: [String] = []
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        for word in words {
            let lower = word.lowercased()
            if let value = Self.value(of: lower, keys: ["type:", "t:"]) {
                if value.isEmpty { errors.append("type: needs an event type (type:order.*)") } else { eventType = String(word.dropFirst(word.count - value.count)) }
            } else if let value = Self.value(of: lower, keys: ["status:", "s:"]) {
                if value.isEmpty { errors.append("status: needs a word (\(Self.eventStatusWords.prefix(5).joined(separator: ", ")))") } else { status = value }
            } else if let value = Self.value(of: lower, keys: ["endpoint:", "ep:", "e:"]) {
                if value.isEmpty { errors.append("endpoint: needs a name or id") } else { endpoint = value }
            } else if let value = Self.value(of: lower, keys: ["source:", "src:"]) {
                if value.isEmpty { errors.append("source: needs a name or id") } else { source = value }
            } else if Self.value(of: lower, keys: ["since:", "until:"]) != nil {
                let key = lower.hasPrefix("since:") ? "since" : "until"
                let typed = String(word.dropFirst(6))
                if case .failure(let error) = TimeTerm.parse(typed, now: Date(timeIntervalSince1970: 0), timeZone: .gmt) {
                    errors.append("\(key): \(error.message)")
                } else if key == "since" {
                    since = typed
                } else {
                    until = typed
                }
            } else if let colon = lower.firstIndex(of: ":"), colon != lower.startIndex, lower[..<colon].allSatisfy(\.isLetter) {
                errors.append("\(lower[...colon]) is not a filter field (type: status: endpoint: source: since: until:)")
            } else {
                terms.append(lower)
            }
        }
        if words.count == 1, let only = words.first, Self.isWholeID(only) {
            id = only
            terms = []
        }
        self.eventType = eventType
        self.status = status
        self.endpoint = endpoint
        self.source = source
        self.since = since
        self.until = until
        self.terms = terms
        self.errors = errors
    }

    /// Whether `word` is a whole id of a kind the console can jump to.
    static func isWholeID(_ word: String) -> Bool {
        guard let prefix = idPrefixes.first(where: { word.hasPrefix($0) }) else { return false }
        let rest = word.dropFirst(prefix.count)
        return rest.count >= 10 && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// The errors of this filter in `pane` (the events pane also checks its status words).
    func errors(in pane: Pane) -> [String] {
        var errors = errors
        if pane == .events, let status, !Self.eventStatusWords.contains(where: { $0.hasPrefix(status) }) {
            errors.append("status:\(status) is not a status (\(Self.eventStatusWords.prefix(5).joined(separator: ", ")))")
        }
        return errors
    }

    private static func value(of word: String, keys: [String]) -> String? {
        for key in keys where word.hasPrefix(key) { return String(word.dropFirst(key.count)) }
        return nil
    }

    var isEmpty: Bool {
        eventType == nil && status == nil && endpoint == nil && source == nil && since == nil && until == nil && id == nil && terms.isEmpty
    }

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

    /// The delivery-level status word the `status:` filter names (a prefix of one), when it names one.
    var deliveryStatus: DeliveryStatusFilter? {
        guard let status else { return nil }
        return Self.eventStatusWords.first { $0.hasPrefix(status) }.flatMap(DeliveryStatusFilter.init(rawValue:))
    }

    /// The free-text words for the store, space-separated; `nil` without any.
    var storeText: String? { terms.isEmpty ? nil : terms.joined(separator: " ") }

    /// `since:` and `until:` as typed, as one key (empty without either).
    var timeTerms: String { since == nil && until == nil ? "" : "\(since ?? "")|\(until ?? "")" }

    /// `since:` and `until:` as instants, relative ones counted back from `now`.
    func timeRange(now: Date, timeZone: TimeZone) -> (since: Date?, until: Date?) {
        func resolve(_ typed: String?) -> Date? {
            guard let typed, case .success(let date) = TimeTerm.parse(typed, now: now, timeZone: timeZone) else { return nil }
            return date
        }
        return (resolve(since), resolve(until))
    }
}
