import Foundation
import SwitchboardCore

/// The events pane's data: a window of rows from the store, newest first, and whether
/// it follows new events.
///
/// Rows are addressed by their index in the pane (0 = newest). The store is asked for
/// windows of at most ``windowLimit`` rows around the selection, never the whole table.
/// While frozen, new events are only counted (``unseen``, the "+N new" badge), and the
/// store offset of pane row `i` is `i + unseen`.
struct EventsState: Sendable {
    /// Most rows asked of the store at once.
    static let windowLimit = 100

    /// The loaded window, newest first.
    var rows: [Event] = []
    /// Pane index of `rows[0]`.
    var windowStart = 0
    /// Rows in the pane (matching the store-side filter).
    var total = 0
    /// Whether new events appear at the top and the selection stays on the newest.
    var following = true
    /// Events that arrived while frozen.
    var unseen = 0
    /// Id of the newest window request; older answers are ignored.
    var latestRequestID = 0
    /// Whether a window has been loaded at least once.
    var loaded = false
    /// Pane offset of a window wanted while another load was under way.
    var pendingOffset: Int?

    /// The event at pane index `index`, when it is in the loaded window.
    func event(at index: Int) -> Event? {
        let offset = index - windowStart
        return rows.indices.contains(offset) ? rows[offset] : nil
    }

    /// Pane index of the event with `id`, when it is loaded.
    func index(of id: String) -> Int? {
        rows.firstIndex { $0.id == id }.map { $0 + windowStart }
    }
}

/// What the events pane asks the store for: every part of its filter runs in the store.
struct EventsWindowRequest: Sendable, Hashable {
    var id: Int
    /// Pane index of the first row asked for.
    var paneOffset: Int
    /// Store offset of that row (`paneOffset + unseen` while frozen).
    var storeOffset: Int
    var limit: Int
    var eventType: String?
    var deliveryStatus: DeliveryStatusFilter?
    var endpointID: String?
    var sourceID: String? = nil
    /// `since:` and `until:` resolved against the clock when the request was made.
    var since: Date? = nil
    var until: Date? = nil
    /// The free-text words, space-separated.
    var text: String? = nil
    /// `since:` and `until:` as typed, so that a relative time (`15m`) still names the same
    /// filter as the clock moves on.
    var timeTerms: String = ""

    /// The store query for this window (every tenant).
    var query: EventQuery {
        EventQuery(
            tenant: nil, limit: limit, offset: storeOffset, endpointID: endpointID, sourceID: sourceID, eventType: eventType,
            deliveryStatus: deliveryStatus, since: since, until: until, text: text)
    }

    /// The filter this window was asked with, whatever its position.
    var filterKey: EventsFilterKey {
        EventsFilterKey(
            eventType: eventType, deliveryStatus: deliveryStatus, endpointID: endpointID, sourceID: sourceID, timeTerms: timeTerms,
            text: text)
    }
}

/// The store-side part of the events filter, to tell whether a window answers the filter in force.
struct EventsFilterKey: Sendable, Hashable {
    var eventType: String?
    var deliveryStatus: DeliveryStatusFilter?
    var endpointID: String?
    var sourceID: String?
    var timeTerms: String
    var text: String?
}

/// An event named with its tenant, which is what the facade's actions need.
struct EventRef: Sendable, Hashable {
    var id: String
    var tenantID: TenantID
}
