import Foundation
import SwitchboardCore

/// The endpoint states the console shows, with hysteresis: a change between active and
/// failing shows only once the shown state has lasted ``minimumDwell``, so the word does not
/// flap with every other attempt. A pause or resume (disabled) shows at once: an operator
/// did it.
struct EndpointStatusBoard: Sendable, Hashable {
    /// Least time a shown active/failing state stays before it may change.
    static let minimumDwell: TimeInterval = 10

    struct Entry: Sendable, Hashable {
        var shown: EndpointStatus
        var since: Date
        /// The state the data says now.
        var latest: EndpointStatus
    }

    private(set) var entries: [String: Entry] = [:]

    /// The shown state of `endpoint` (its raw state when it has not been seen yet).
    func status(of endpoint: Endpoint) -> EndpointStatus {
        entries[endpoint.id]?.shown ?? EndpointStatus(endpoint)
    }

    /// Takes the endpoints' states as loaded at `now`.
    mutating func observe(_ endpoints: [Endpoint], at now: Date) {
        var next: [String: Entry] = [:]
        for endpoint in endpoints {
            let latest = EndpointStatus(endpoint)
            var entry = entries[endpoint.id] ?? Entry(shown: latest, since: now, latest: latest)
            entry.latest = latest
            next[endpoint.id] = entry
        }
        entries = next
        settle(at: now)
    }

    /// Moves shown states to the latest ones whose dwell has passed.
    mutating func settle(at now: Date) {
        for (id, var entry) in entries where entry.shown != entry.latest {
            let immediate = entry.latest == .disabled || entry.shown == .disabled
            guard immediate || now.timeIntervalSince(entry.since) >= Self.minimumDwell else { continue }
            entry.shown = entry.latest
            entry.since = now
            entries[id] = entry
        }
    }
}

/// How the endpoints pane is sorted (`o` cycles).
enum EndpointOrder: Sendable, Hashable, CaseIterable {
    /// Failing and paused first, then by failure rate, then by name.
    case health
    /// By failure rate over recent attempts, highest first.
    case failureRate
    /// By name.
    case name

    var word: String {
        switch self {
        case .health: "health"
        case .failureRate: "failure rate"
        case .name: "name"
        }
    }

    var next: EndpointOrder {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
