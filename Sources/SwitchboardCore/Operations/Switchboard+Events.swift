import Foundation

extension Switchboard {
    public func event(id: String, tenant: TenantID) async throws(SwitchboardError) -> Event {
        guard let event = try await storeCall({ try await store.event(id: id, tenant: tenant) }) else {
            throw .notFound("event", id: id)
        }
        return event
    }

    /// The event with its deliveries and every attempt.
    public func eventDetail(id: String, tenant: TenantID) async throws(SwitchboardError) -> EventDetail {
        let event = try await event(id: id, tenant: tenant)
        return try await storeCall {
            EventDetail(
                event: event, deliveries: try await store.deliveries(eventID: id, tenant: tenant),
                attempts: try await store.attempts(eventID: id, tenant: tenant))
        }
    }

    /// A page of events, newest first.
    public func events(_ query: EventQuery) async throws(SwitchboardError) -> Page<Event> {
        guard (1...100).contains(query.limit) else { throw .invalid("limit", "must be between 1 and 100") }
        guard query.offset >= 0 else { throw .invalid("offset", "must be 0 or more") }
        return try await storeCall { try await store.events(query) }
    }

    public func delivery(id: String, tenant: TenantID) async throws(SwitchboardError) -> Delivery {
        guard let delivery = try await storeCall({ try await store.delivery(id: id, tenant: tenant) }) else {
            throw .notFound("delivery", id: id)
        }
        return delivery
    }

    public func attempts(deliveryID: String, tenant: TenantID) async throws(SwitchboardError) -> [Attempt] {
        _ = try await delivery(id: deliveryID, tenant: tenant)
        return try await storeCall { try await store.attempts(deliveryID: deliveryID, tenant: tenant) }
    }

    /// Scheduled, pending and paused deliveries, soonest first.
    public func retryQueue(tenant: TenantID?, limit: Int = 100) async throws(SwitchboardError) -> [Delivery] {
        try await storeCall { try await store.retryQueue(tenant: tenant, limit: limit) }
    }

    /// This calendar month's figures for `tenant` (UTC).
    public func currentUsage(tenant: TenantID) async throws(SwitchboardError) -> (usage: Usage, periodStart: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = clock.now()
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: now)) ?? now
        return (try await storeCall { try await store.usage(tenant: tenant, since: start) }, start)
    }
}
