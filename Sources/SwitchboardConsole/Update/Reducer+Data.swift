import Foundation
import SwitchboardCore

/// Ticks, feed changes and loaded data.
extension Reducer {
    /// Most retry-queue rows loaded.
    static let retryQueueLimit = 100
    /// Most rows of the failures view loaded.
    static let failuresLimit = 200
    /// Most log lines loaded.
    static let logLimit = 200
    /// Most events whose tallies are asked for at once.
    static let tallyBatch = 25
    /// Tallies kept before the ones no longer shown are dropped.
    static let tallyCacheLimit = 5000

    // MARK: Tick

    static func tick(_ now: Date, _ state: inout ConsoleState) -> [Effect] {
        state.now = now
        if let flash = state.flash, flash.expiresAt <= now { state.flash = nil }
        state.endpointStatuses.settle(at: now)
        var effects: [Effect] = []
        var wanted: [(DataKind, DataRequest)] = [(.health, .health), (.endpoints, .endpoints), (.sources, .sources), (.gauges, .gauges), (.queueGroups, .queueGroups)]
        if let group = state.queueEndpoint {
            wanted.append((.retryQueue, .retryQueue(endpointID: group.endpointID, tenantID: group.tenantID, limit: retryQueueLimit)))
        }
        if state.paneTwo == .failures { wanted.append((.failures, .failures(limit: failuresLimit))) }
        if state.paneFour == .logs { wanted.append((.logs, .logs(limit: logLimit))) }
        for (kind, request) in wanted where state.sync.isDue(kind, at: now) {
            state.sync.started(kind)
            effects.append(.load(request))
        }
        if state.sync.isDue(.events, at: now) {
            effects += requestEvents(paneOffset: state.events.following ? 0 : state.events.windowStart, &state)
        }
        if state.inspected != nil, state.sync.isDue(.eventDetail, at: now) {
            effects += loadInspectedDetail(&state)
        }
        effects += requestMissingTallies(&state)
        return effects
    }

    /// Asks for the delivery states of shown events loaded from the store (the feed tells
    /// those of events published since the console started).
    private static func requestMissingTallies(_ state: inout ConsoleState) -> [Effect] {
        guard !state.sync[.tallies].loading else { return [] }
        let listing = state.eventsListing()
        let cursor = state.cursor(.events)
        let height = Layout(size: state.size).listHeight(for: .events)
        var missing: [EventRef] = []
        for index in cursor.top..<(cursor.top + height) {
            guard let event = listing.event(at: index) else { continue }
            if state.tallies[event.id] == nil && !state.talliesRequested.contains(event.id) {
                missing.append(EventRef(id: event.id, tenantID: event.tenantID))
                if missing.count == tallyBatch { break }
            }
        }
        guard !missing.isEmpty else { return [] }
        state.talliesRequested.formUnion(missing.map(\.id))
        state.sync.started(.tallies)
        return [.load(.tallies(missing))]
    }

    // MARK: Changes

    static func applyChanges(_ changes: [Change], dropped: Int, _ state: inout ConsoleState) -> [Effect] {
        var published = 0, attempts = 0, insertedEvents = false
        for change in changes {
            switch change {
            case .eventPublished(let event, let deliveries):
                published += 1
                if event.origin == .source, let sourceID = event.sourceID,
                    let index = state.sources.firstIndex(where: { $0.id == sourceID && $0.tenantID == event.tenantID })
                {
                    state.sources[index].eventsReceived += 1
                    state.sources[index].lastReceivedAt = event.createdAt
                }
                state.tallies[event.id] = DeliveryTally(deliveries)
                if eventMatchesStoreFilter(event, deliveries: deliveries, state) {
                    if state.events.following {
                        if state.events.windowStart == 0 {
                            state.events.rows.insert(event, at: 0)
                            if state.events.rows.count > EventsState.windowLimit { state.events.rows.removeLast() }
                        }
                        state.events.total += 1
                        insertedEvents = true
                    } else {
                        state.events.unseen += 1
                    }
                }
                state.sync.markDirty(.retryQueue, .queueGroups, .failures, .gauges)
            case .attemptRecorded(let attempt, let deliveryState):
                attempts += 1
                state.tallies[attempt.eventID]?.states[attempt.deliveryID] = deliveryState
                if state.inspected?.id == attempt.eventID { state.sync.markDirty(.eventDetail) }
                state.sync.markDirty(.retryQueue, .queueGroups, .failures, .gauges)
            case .deliveryStateChanged(let delivery):
                state.tallies[delivery.eventID]?.states[delivery.id] = delivery.state
                if state.inspected?.id == delivery.eventID { state.sync.markDirty(.eventDetail) }
                state.sync.markDirty(.retryQueue, .queueGroups, .failures, .gauges)
            case .eventStatusChanged(let change):
                if let index = state.events.rows.firstIndex(where: { $0.id == change.eventID }) {
                    state.events.rows[index].status = change.status
                }
                if state.inspectedDetail?.event.id == change.eventID { state.inspectedDetail?.event.status = change.status }
            case .endpointChanged(let endpoint):
                upsert(endpoint, &state)
                state.sync.markDirty(.gauges)
            case .endpointDeleted(let id, let tenantID):
                state.endpoints.removeAll { $0.id == id && $0.tenantID == tenantID }
                state.health[id] = nil
                reanchor(.endpoints, &state)
                state.sync.markDirty(.gauges, .retryQueue, .queueGroups)
            case .sourceChanged(let source):
                upsert(source, &state)
            case .sourceDeleted(let id, let tenantID):
                state.sources.removeAll { $0.id == id && $0.tenantID == tenantID }
                reanchor(.sources, &state)
            }
        }
        state.rates.record(events: published, attempts: attempts, at: state.now)
        if dropped > state.droppedChanges {
            // The feed lost changes: reload everything it might have told.
            state.droppedChanges = dropped
            state.sync.markDirty(.events, .endpoints, .sources, .retryQueue, .queueGroups, .failures, .gauges, .eventDetail)
            state.talliesRequested.removeAll()
        }
        if state.tallies.count > tallyCacheLimit {
            let shown = Set(state.events.rows.map(\.id))
            state.tallies = state.tallies.filter { shown.contains($0.key) }
        }
        guard insertedEvents else { return [] }
        reanchor(.events, &state)
        return refreshInspected(&state)
    }

    /// Whether a new event belongs in the events pane under its store-side filter.
    private static func eventMatchesStoreFilter(_ event: Event, deliveries: [Delivery], _ state: ConsoleState) -> Bool {
        let filter = state.filter(.events)
        guard filter.matchesEventType(event.eventType) else { return false }
        switch filter.deliveryStatus {
        case .failed, .retrying:
            // A new event has no failed attempt yet.
            if !deliveries.contains(where: { $0.state == .failed || ($0.state == .scheduled && $0.attemptCount > 0) }) { return false }
        case .some(let word):
            if let status = word.eventStatus, event.status != status { return false }
        case nil:
            break
        }
        let range = filter.timeRange(now: state.now, timeZone: state.timeZone)
        if let since = range.since, event.createdAt < since { return false }
        if let until = range.until, event.createdAt >= until { return false }
        if !filter.terms.isEmpty {
            let haystack = (event.eventType + " " + event.id).lowercased()
            guard filter.terms.allSatisfy(haystack.contains) else { return false }
        }
        if let endpointID = resolvedEndpointID(filter, state), !deliveries.contains(where: { $0.endpointID == endpointID }) {
            return false
        }
        if let sourceID = resolvedSourceID(filter, state), event.sourceID != sourceID { return false }
        return true
    }

    // MARK: Loaded data

    static func applyLoaded(_ result: DataResult, _ state: inout ConsoleState) -> [Effect] {
        switch result {
        case .endpoints(let endpoints):
            finish(.endpoints, &state)
            state.endpoints = endpoints
            reanchor(.endpoints, &state)
            return []
        case .sources(let sources):
            finish(.sources, &state)
            state.sources = sources
            reanchor(.sources, &state)
            return []
        case .health(let health):
            finish(.health, &state)
            state.health = health
            return []
        case .gauges(let gauges):
            finish(.gauges, &state)
            state.gauges = gauges
            return []
        case .retryQueue(let endpointID, let deliveries):
            finish(.retryQueue, &state)
            guard state.queueEndpoint?.endpointID == endpointID else { return [] }
            state.retryQueue = deliveries
            reanchor(.retryQueue, &state)
            return state.inspectionSource == .retryQueue ? refreshInspected(&state) : []
        case .queueGroups(let groups):
            finish(.queueGroups, &state)
            state.queueGroups = groups
            if let open = state.queueEndpoint, let fresh = groups.first(where: { $0.endpointID == open.endpointID }) { state.queueEndpoint = fresh }
            reanchor(.retryQueue, &state)
            return []
        case .failures(let rows):
            finish(.failures, &state)
            state.failures = rows
            reanchor(.failures, &state)
            return state.inspectionSource == .failures ? refreshInspected(&state) : []
        case .located(let id, let target):
            finish(.locate, &state)
            return openLocated(id, target, &state)
        case .logs(let lines):
            finish(.logs, &state)
            state.logs = lines
            reanchor(.logs, &state)
            return []
        case .events(let request, let page):
            finish(.events, &state)
            if matchesCurrentFilter(request, state) { applyEventsWindow(request, page, &state) }
            var effects: [Effect] = []
            if let pending = state.events.pendingOffset {
                effects += requestEvents(paneOffset: pending, &state)
            } else if !matchesCurrentFilter(request, state) {
                effects += requestEvents(paneOffset: 0, &state)
            }
            return effects + ensureEventsWindow(&state) + refreshInspected(&state)
        case .eventDetail(let event, let detail):
            finish(.eventDetail, &state)
            guard event == state.inspected else { return loadInspectedDetail(&state) }
            state.inspectedDetail = detail
            state.tallies[event.id] = DeliveryTally(detail.deliveries)
            if let index = state.events.rows.firstIndex(where: { $0.id == event.id }) {
                state.events.rows[index].status = detail.event.status
            }
            reanchor(.attempts, &state)
            clampDetailScroll(&state)
            return []
        case .tallies(let tallies, let requested):
            finish(.tallies, &state)
            state.tallies.merge(tallies) { _, new in new }
            state.talliesRequested.subtract(requested.map(\.id).filter { tallies[$0] != nil })
            return []
        case .failed(.locate(let id), let message):
            state.sync.finished(.locate, at: state.now)
            flash("\(id) not found: \(message)", .error, &state)
            return []
        case .failed(let request, let message):
            state.sync.finished(request.kind, at: state.now)
            state.loadErrors[request.kind] = message
            return []
        }
    }

    /// Adds `source` or replaces the loaded one with the same id, keeping the selection on it.
    static func upsert(_ source: Source, _ state: inout ConsoleState) {
        if let index = state.sources.firstIndex(where: { $0.id == source.id && $0.tenantID == source.tenantID }) {
            state.sources[index] = source
        } else {
            state.sources.append(source)
        }
        reanchor(.sources, &state)
    }

    private static func finish(_ kind: DataKind, _ state: inout ConsoleState) {
        state.sync.finished(kind, at: state.now)
        state.loadErrors[kind] = nil
    }

    private static func applyEventsWindow(_ request: EventsWindowRequest, _ page: Page<Event>, _ state: inout ConsoleState) {
        let unseenAtRequest = request.storeOffset - request.paneOffset
        state.events.rows = page.items
        state.events.windowStart = request.paneOffset
        state.events.total = max(request.paneOffset + page.items.count, page.total - unseenAtRequest)
        state.events.loaded = true
        let shown = Set(page.items.map(\.id))
        state.talliesRequested = state.talliesRequested.filter { shown.contains($0) }
        reanchor(.events, &state)
    }
}
