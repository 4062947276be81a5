import Foundation
import SwitchboardCore

/// Everything the console knows: what the operator is doing (focus, cursors, filters,
/// modal, detail view) and the data loaded from the dispatcher.
///
/// It changes only through ``Reducer/reduce(_:_:)``; views are pure functions of it.
struct ConsoleState: Sendable {
    // MARK: Setup

    var readOnly: Bool
    /// Quitting stops the dispatcher running in this process (embedded and dispatching):
    /// `q` asks first while deliveries are queued or in flight.
    var stopsDispatcherOnQuit = false
    /// Deliveries may go to loopback, private networks and plain http (`--dev`).
    var devMode = false
    var listenAddress: String
    var storeDescription: String
    /// Public base URL of the ingest routes (`http://127.0.0.1:8080`); empty shows paths only.
    var ingestBaseURL: String = ""
    var size: TerminalSize
    /// The clock's time at the last tick.
    var now: Date
    /// Box drawing and state glyphs: UTF-8, or ASCII when the locale is not UTF-8.
    var glyphs: Glyphs = .unicode
    /// The zone times are shown in.
    var timeZone: TimeZone = .current

    // MARK: Interaction

    var focus: Pane = .events
    /// What pane 1 shows: ``Pane/endpoints`` or ``Pane/sources`` (`s` switches).
    var paneOne: Pane = .endpoints
    /// What pane 2 shows: ``Pane/events`` or ``Pane/failures`` (`F` switches).
    var paneTwo: Pane = .events
    /// What pane 4 shows: ``Pane/retryQueue`` or ``Pane/logs`` (`l` switches).
    var paneFour: Pane = .retryQueue
    var cursors: [Pane: ListCursor] = [:]
    var filters: [Pane: FilterQuery] = [:]
    var modal: Modal?
    var detail: DetailState?
    var flash: Flash?
    var isQuitting = false
    /// The pane whose selection picks the event the attempts pane shows (events or retry queue).
    var inspectionSource: Pane = .events

    // MARK: Data

    var endpoints: [Endpoint] = [] {
        didSet { endpointStatuses.observe(endpoints, at: now) }
    }
    /// The endpoint states shown, with hysteresis.
    var endpointStatuses = EndpointStatusBoard()
    /// How the endpoints pane is sorted.
    var endpointOrder: EndpointOrder = .health
    /// Inbound sources of every tenant, oldest first. Their secrets are never shown.
    var sources: [Source] = []
    var health: [String: EndpointHealthBoard.Snapshot] = [:]
    var gauges: StoreGauges?
    var events = EventsState()
    /// Delivery states per event id, for "ok/total".
    var tallies: [String: DeliveryTally] = [:]
    /// Event ids whose tallies were asked for and have not arrived.
    var talliesRequested: Set<String> = []
    /// The event the attempts pane shows.
    var inspected: EventRef?
    /// Its deliveries and attempts, once loaded.
    var inspectedDetail: EventDetail?
    /// The retry queue grouped by endpoint, largest first.
    var queueGroups: [QueueGroup] = []
    /// The endpoint whose queue pane 4 lists (Enter on a group), or nil for the groups.
    var queueEndpoint: QueueGroup?
    /// That endpoint's waiting deliveries, soonest first.
    var retryQueue: [Delivery] = []
    /// Failed and retrying deliveries, newest first (the failures view).
    var failures: [FailureRow] = []
    /// The server's recent log lines, warnings and errors first.
    var logs: [LogRow] = []
    /// The session and its connection, when the data side tells them.
    var session: SessionStatus?
    /// The admin key created by this start, shown once in a panel.
    var firstStartAdminKey: String?
    var rates = RateMeter()
    var sync = SyncState()
    /// The nodes of the cluster sharing the store, each as its last heartbeat said; `nil` on a
    /// store no cluster shares.
    var clusterNodes: [ClusterNodeInfo]?
    /// Changes the feed lost so far (a subscriber that falls behind).
    var droppedChanges = 0
    /// Messages of the last failed loads, by kind, shown in the panes.
    var loadErrors: [DataKind: String] = [:]

    init(readOnly: Bool = false, listenAddress: String = "", storeDescription: String = "", size: TerminalSize, now: Date) {
        self.readOnly = readOnly
        self.listenAddress = listenAddress
        self.storeDescription = storeDescription
        self.size = size
        self.now = now
    }

    /// The cursor of `pane`.
    func cursor(_ pane: Pane) -> ListCursor { cursors[pane] ?? ListCursor() }

    /// The filter of `pane`.
    func filter(_ pane: Pane) -> FilterQuery { filters[pane] ?? FilterQuery("") }

    /// The panes on screen, in `Tab` order: pane 1's current view, then panes 2–4.
    var panes: [Pane] { Pane.onScreen(paneOne: paneOne, paneTwo: paneTwo, paneFour: paneFour) }

    /// How many sources refused their most recent request.
    var refusingSourceCount: Int { sources.count(where: SourceStatus.isRefusing) }

    /// Sources by id, for naming the events they received.
    func source(id: String) -> Source? { sources.first { $0.id == id } }

    /// The state `endpoint` shows (with hysteresis).
    func status(of endpoint: Endpoint) -> EndpointStatus { endpointStatuses.status(of: endpoint) }

    /// Endpoints by id, for naming deliveries.
    func endpoint(id: String) -> Endpoint? { endpoints.first { $0.id == id } }

    /// Distinct tenants among the endpoints: columns show the tenant when there are several.
    var showsTenants: Bool {
        guard let first = endpoints.first?.tenantID else { return false }
        return endpoints.contains { $0.tenantID != first }
            || events.rows.contains { $0.tenantID != first }
            || sources.contains { $0.tenantID != first }
    }
}
