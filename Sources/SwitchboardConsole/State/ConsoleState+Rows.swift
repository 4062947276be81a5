import SwitchboardCore

/// The rows each pane lists after its filter: shared by the reducer (bounds, selection)
/// and the view builders (what is drawn), so both always agree.
extension ConsoleState {
    /// Number of rows `pane` lists.
    func rowCount(_ pane: Pane) -> Int {
        switch pane {
        case .endpoints: visibleEndpoints().count
        case .sources: visibleSources().count
        case .events: eventsListing().count
        case .attempts: attemptRows().count
        case .retryQueue: queueEndpoint == nil ? visibleQueueGroups().count : visibleRetryQueue().count
        case .failures: visibleFailures().count
        case .logs: visibleLogs().count
        }
    }

    /// The id of row `index` of `pane`, when it is loaded.
    func rowID(_ pane: Pane, at index: Int) -> String? {
        switch pane {
        case .endpoints:
            let rows = visibleEndpoints()
            return rows.indices.contains(index) ? rows[index].id : nil
        case .sources:
            let rows = visibleSources()
            return rows.indices.contains(index) ? rows[index].id : nil
        case .events:
            return eventsListing().event(at: index)?.id
        case .attempts:
            let rows = attemptRows()
            return rows.indices.contains(index) ? rows[index].id : nil
        case .retryQueue:
            if queueEndpoint == nil {
                let groups = visibleQueueGroups()
                return groups.indices.contains(index) ? groups[index].endpointID : nil
            }
            let rows = visibleRetryQueue()
            return rows.indices.contains(index) ? rows[index].id : nil
        case .failures:
            let rows = visibleFailures()
            return rows.indices.contains(index) ? rows[index].id : nil
        case .logs:
            return visibleLogs().indices.contains(index) ? "log-\(index)" : nil
        }
    }

    /// Index of the row with `id` in `pane`, when it is listed.
    func rowIndex(_ pane: Pane, id: String) -> Int? {
        switch pane {
        case .endpoints: visibleEndpoints().firstIndex { $0.id == id }
        case .sources: visibleSources().firstIndex { $0.id == id }
        case .events: eventsListing().index(of: id)
        case .attempts: attemptRows().firstIndex { $0.id == id }
        case .retryQueue: queueEndpoint == nil ? visibleQueueGroups().firstIndex { $0.endpointID == id } : visibleRetryQueue().firstIndex { $0.id == id }
        case .failures: visibleFailures().firstIndex { $0.id == id }
        case .logs: id.hasPrefix("log-") ? Int(id.dropFirst(4)) : nil
        }
    }

    // MARK: Endpoints

    /// The endpoints pane's rows: sorted by ``endpointOrder``, then filtered.
    func visibleEndpoints() -> [Endpoint] {
        let filter = filter(.endpoints)
        let sorted = sortedEndpoints()
        guard !filter.isEmpty else { return sorted }
        return sorted.filter { endpoint in
            let status = status(of: endpoint)
            return filter.matchesStatus(status.word)
                && filter.matchesEndpoint(id: endpoint.id, name: endpoint.name)
                && (filter.eventType.map { endpoint.subscribes(to: $0) } ?? true)
                && filter.matchesTerms([endpoint.id, endpoint.name, endpoint.url, endpoint.tenantID, status.word, endpoint.description])
        }
    }

    /// Share of recent attempts that failed (0 with none).
    func failureRate(_ endpoint: Endpoint) -> Double {
        guard let rate = health[endpoint.id]?.successRate else { return 0 }
        return 1 - rate
    }

    func sortedEndpoints() -> [Endpoint] {
        func rank(_ endpoint: Endpoint) -> Int {
            switch status(of: endpoint) {
            case .failing: 0
            case .disabled: 1
            case .active: 2
            }
        }
        func byName(_ lhs: Endpoint, _ rhs: Endpoint) -> Bool {
            (lhs.name.lowercased(), lhs.id) < (rhs.name.lowercased(), rhs.id)
        }
        switch endpointOrder {
        case .name:
            return endpoints.sorted(by: byName)
        case .failureRate:
            return endpoints.sorted { lhs, rhs in
                let left = failureRate(lhs), right = failureRate(rhs)
                return left != right ? left > right : byName(lhs, rhs)
            }
        case .health:
            return endpoints.sorted { lhs, rhs in
                let left = rank(lhs), right = rank(rhs)
                if left != right { return left < right }
                let leftRate = failureRate(lhs), rightRate = failureRate(rhs)
                return leftRate != rightRate ? leftRate > rightRate : byName(lhs, rhs)
            }
        }
    }

    // MARK: Sources

    /// The sources the sources view lists after its filter (`status:` matches the provider,
    /// `refusing`, `unverified` or `receiving`).
    func visibleSources() -> [Source] {
        let filter = filter(.sources)
        guard !filter.isEmpty else { return sources }
        return sources.filter { source in
            let status = SourceStatus(source)
            let verification = source.provider == .none ? "unverified" : "verified"
            return filter.matchesStatus(status.word, source.provider.rawValue, verification)
                && filter.matchesTerms([
                    source.id, source.name, source.provider.rawValue, source.slug, source.tenantID, status.word, verification,
                    source.lastRejectionReason ?? "",
                ])
        }
    }

    var selectedSource: Source? {
        let rows = visibleSources()
        let index = cursor(.sources).selection
        return rows.indices.contains(index) ? rows[index] : nil
    }

    // MARK: Events

    /// The events pane's rows: the store-side window (every part of the filter runs in the
    /// store, so the count is the store's match count).
    struct EventsListing {
        let count: Int
        private let events: EventsState

        init(events: EventsState) {
            self.events = events
            count = events.total
        }

        func event(at index: Int) -> Event? { events.event(at: index) }

        func index(of id: String) -> Int? { events.index(of: id) }
    }

    func eventsListing() -> EventsListing {
        EventsListing(events: events)
    }

    /// The selected event, when its row is loaded.
    var selectedEvent: Event? {
        eventsListing().event(at: cursor(.events).selection)
    }

    // MARK: Attempts

    /// The inspected event's deliveries (by endpoint name), each followed by its attempts.
    func attemptRows() -> [AttemptsRow] {
        guard let detail = inspectedDetail, detail.event.id == inspected?.id else { return [] }
        let filter = filter(.attempts)
        let attemptsByDelivery = Dictionary(grouping: detail.attempts, by: \.deliveryID)
        let deliveries = detail.deliveries.sorted { lhs, rhs in
            let left = endpoint(id: lhs.endpointID)?.name ?? lhs.endpointID
            let right = endpoint(id: rhs.endpointID)?.name ?? rhs.endpointID
            return (left, lhs.id) < (right, rhs.id)
        }
        var rows: [AttemptsRow] = []
        for delivery in deliveries {
            let attempts = (attemptsByDelivery[delivery.id] ?? []).sorted { $0.number < $1.number }
            if !filter.isEmpty {
                let name = endpoint(id: delivery.endpointID)?.name
                let outcomes = attempts.map { $0.statusCode.map(String.init) ?? $0.errorClass ?? "" }
                let statusMatches = filter.status == nil || filter.matchesStatus(delivery.state.rawValue)
                    || outcomes.contains { $0.lowercased().hasPrefix(filter.status ?? "") }
                guard statusMatches,
                    filter.matchesEndpoint(id: delivery.endpointID, name: name),
                    filter.matchesTerms([delivery.id, delivery.endpointID, name ?? "", delivery.state.rawValue, delivery.lastError ?? ""] + outcomes)
                else { continue }
            }
            rows.append(.delivery(delivery))
            rows.append(contentsOf: attempts.map(AttemptsRow.attempt))
        }
        return rows
    }

    /// The delivery of the attempts pane's selected row.
    var selectedAttemptsDelivery: Delivery? {
        let rows = attemptRows()
        let index = cursor(.attempts).selection
        guard rows.indices.contains(index) else { return nil }
        let deliveryID = rows[index].deliveryID
        return inspectedDetail?.deliveries.first { $0.id == deliveryID }
    }

    // MARK: Retry queue

    func visibleRetryQueue() -> [Delivery] {
        let filter = filter(.retryQueue)
        guard !filter.isEmpty else { return retryQueue }
        return retryQueue.filter { delivery in
            let name = endpoint(id: delivery.endpointID)?.name
            return filter.matchesStatus(delivery.state.rawValue)
                && filter.matchesEndpoint(id: delivery.endpointID, name: name)
                && filter.matchesTerms([delivery.id, delivery.eventID, delivery.endpointID, name ?? "", delivery.state.rawValue, delivery.lastError ?? ""])
        }
    }

    /// The retry queue's groups after pane 4's filter (endpoint name, id or URL, text).
    func visibleQueueGroups() -> [QueueGroup] {
        let filter = filter(.retryQueue)
        guard !filter.isEmpty else { return queueGroups }
        return queueGroups.filter { group in
            let name = endpoint(id: group.endpointID)?.name
            return filter.matchesEndpoint(id: group.endpointID, name: name) && filter.matchesTerms([group.endpointID, name ?? "", group.url])
        }
    }

    var selectedQueueGroup: QueueGroup? {
        guard queueEndpoint == nil else { return nil }
        let rows = visibleQueueGroups()
        let index = cursor(.retryQueue).selection
        return rows.indices.contains(index) ? rows[index] : nil
    }

    // MARK: Failures

    /// The failures view's rows after its filter (`status:failed` or `retrying`, endpoint, text).
    func visibleFailures() -> [FailureRow] {
        let filter = filter(.failures)
        guard !filter.isEmpty else { return failures }
        return failures.filter { row in
            let name = endpoint(id: row.delivery.endpointID)?.name
            let word = row.delivery.state == .failed ? "failed" : "retrying"
            return filter.matchesStatus(word) && filter.matchesEndpoint(id: row.delivery.endpointID, name: name)
                && filter.matchesEventType(row.eventType)
                && filter.matchesTerms([row.delivery.id, row.delivery.eventID, row.eventType, name ?? "", row.lastError ?? "", row.lastStatusCode.map(String.init) ?? ""])
        }
    }

    var selectedFailure: FailureRow? {
        let rows = visibleFailures()
        let index = cursor(.failures).selection
        return rows.indices.contains(index) ? rows[index] : nil
    }

    // MARK: Log

    /// The log lines after pane 4's log filter (`status:` matches the level, text the rest).
    func visibleLogs() -> [LogRow] {
        let filter = filter(.logs)
        guard !filter.isEmpty else { return logs }
        return logs.filter { filter.matchesStatus($0.level.word) && filter.matchesTerms([$0.label, $0.message, $0.level.word]) }
    }

    var selectedRetryDelivery: Delivery? {
        guard queueEndpoint != nil else { return nil }
        let rows = visibleRetryQueue()
        let index = cursor(.retryQueue).selection
        return rows.indices.contains(index) ? rows[index] : nil
    }

    var selectedEndpoint: Endpoint? {
        let rows = visibleEndpoints()
        let index = cursor(.endpoints).selection
        return rows.indices.contains(index) ? rows[index] : nil
    }
}
