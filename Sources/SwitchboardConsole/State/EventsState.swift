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

/// What the events pane asks the store for.
struct EventsWindowRequest: Sendable, Hashable {
    var id: Int
    /// Pane index of the first row asked for.
    var paneOffset: Int
    /// Store offset of that row (`paneOffset + unseen` while frozen).
    var storeOffset: Int
    var limit: Int
    var eventType: String?
    var status: Event.Status?
    var endpointID: String?
    var sourceID: String? = nil

    /// The store query for this window (every tenant).
    var query: EventQuery {
        EventQuery(tenant: nil, limit: limit, offset: storeOffset, endpointID: endpointID, sourceID: sourceID, status: status, eventType: eventType)
    }
}

/// An event named with its tenant, which is what the facade's actions need.
struct EventRef: Sendable, Hashable {
    var id: String
    var tenantID: TenantID
}
