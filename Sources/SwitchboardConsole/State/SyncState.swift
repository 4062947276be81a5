import Foundation

/// The kinds of data the console loads from the dispatcher.
enum DataKind: Sendable, Hashable, CaseIterable {
    case endpoints, sources, health, gauges, events, retryQueue, queueGroups, failures, logs, locate, eventDetail, tallies

    /// Least time between two loads while changes keep coming.
    var minimumInterval: TimeInterval {
        switch self {
        case .health: 0.5
        case .gauges, .retryQueue, .queueGroups, .failures, .logs: 1
        case .events: 1
        case .eventDetail: 0.3
        case .endpoints, .sources: 1
        case .tallies, .locate: 0.2
        }
    }

    /// Longest time between two loads even with no change seen (to catch what the feed
    /// cannot tell, such as countdowns reaching zero or another node's work).
    var resyncInterval: TimeInterval {
        switch self {
        case .health: 1
        case .gauges, .retryQueue, .queueGroups, .failures, .logs: 5
        case .events: 10
        case .eventDetail: 10
        case .endpoints, .sources: 15
        case .tallies, .locate: .infinity
        }
    }
}

/// When each kind of data was last loaded, whether a load is under way, and whether
/// changes seen since make it stale.
struct SyncState: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        var lastLoaded: Date?
        var loading = false
        var dirty = false
    }

    private var entries: [DataKind: Entry] = [:]

    subscript(kind: DataKind) -> Entry {
        get { entries[kind] ?? Entry() }
        set { entries[kind] = newValue }
    }

    /// Marks `kinds` stale.
    mutating func markDirty(_ kinds: DataKind...) {
        for kind in kinds { self[kind].dirty = true }
    }

    /// Whether `kind` should be loaded at `now`.
    func isDue(_ kind: DataKind, at now: Date) -> Bool {
        let entry = self[kind]
        guard !entry.loading else { return false }
        guard let last = entry.lastLoaded else { return true }
        let age = now.timeIntervalSince(last)
        return (entry.dirty && age >= kind.minimumInterval) || age >= kind.resyncInterval
    }

    /// Makes every kind due at once, as if never loaded: after a reconnection, when changes
    /// may have been missed.
    mutating func forgetAllLoads() {
        for kind in DataKind.allCases { self[kind].lastLoaded = nil }
    }

    /// Notes that a load of `kind` started.
    mutating func started(_ kind: DataKind) {
        self[kind].loading = true
        self[kind].dirty = false
    }

    /// Notes that a load of `kind` finished at `now`.
    mutating func finished(_ kind: DataKind, at now: Date) {
        self[kind].loading = false
        self[kind].lastLoaded = now
    }
}
