import Foundation
import SwitchboardCore

@testable import SwitchboardConsole

/// Fixed sample data with a fixed clock, so views render the same every time.
enum Fixtures {
    /// 2027-01-15 08:00:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let utc = TimeZone(identifier: "UTC")!

    static func id(_ prefix: String, _ number: Int) -> String {
        prefix + "_01JZ" + String(format: "%022d", number)
    }

    static func at(_ secondsAgo: TimeInterval) -> Date { now.addingTimeInterval(-secondsAgo) }

    // MARK: Endpoints

    static let billing = Endpoint(
        id: id("ep", 1), tenantID: "default", name: "billing", url: "https://billing.example.com/hooks",
        eventTypes: ["order.*", "invoice.*"], secret: Secret("whsec_billing"), createdAt: at(86400 * 30), updatedAt: at(86400))
    static let crm = Endpoint(
        id: id("ep", 2), tenantID: "default", name: "crm", url: "https://crm.internal:8443/webhooks/incoming",
        secret: Secret("whsec_crm"), failingSince: at(3600), createdAt: at(86400 * 20), updatedAt: at(3600))
    static let analytics = Endpoint(
        id: id("ep", 3), tenantID: "default", name: "analytics", url: "http://localhost:3000/hooks",
        secret: Secret("whsec_analytics"), enabled: false, disabledReason: "manual", disabledAt: at(7200),
        createdAt: at(86400 * 10), updatedAt: at(7200))
    static let warehouse = Endpoint(
        id: id("ep", 4), tenantID: "acme", name: "fulfilment-warehouse-eu-west-primary-receiver",
        url: "https://very-long-subdomain-for-testing.logistics.example.org/api/v2/webhooks/inbound?token=abc",
        eventTypes: ["order.paid"], authMode: .bearer, secret: Secret("whsec_warehouse"), createdAt: at(86400 * 5), updatedAt: at(86400))
    static let cafe = Endpoint(
        id: id("ep", 5), tenantID: "acme", name: "Café ☕ 東京", url: "https://例え.jp/hook",
        secret: Secret("whsec_cafe"), createdAt: at(86400 * 2), updatedAt: at(86400))

    static let endpoints = [billing, crm, analytics, warehouse, cafe]

    static let health: [String: EndpointHealthBoard.Snapshot] = [
        billing.id: .init(recentAttempts: 100, successRate: 1, p50Milliseconds: 120, inFlight: 1, lastOutcome: "200", lastAttemptAt: at(2)),
        crm.id: .init(recentAttempts: 40, successRate: 0.4, p50Milliseconds: 2300, inFlight: 0, lastOutcome: "503", lastAttemptAt: at(30)),
        warehouse.id: .init(recentAttempts: 77, successRate: 0.987, p50Milliseconds: 340, inFlight: 2, lastOutcome: "timeout", lastAttemptAt: at(5)),
    ]

    // MARK: Events

    static let eventTypes = ["order.created", "order.paid", "invoice.finalized", "customer.updated", "order.refunded.partially.with.a.long.type.name"]
    static let statuses: [Event.Status] = [.queued, .delivered, .delivered, .partial, .failed, .delivered, .replayed, .delivered, .queued, .delivered, .failed, .delivered]

    static func event(_ index: Int) -> Event {
        Event(
            id: id("evt", 100 - index), tenantID: index % 4 == 3 ? "acme" : "default", eventType: eventTypes[index % eventTypes.count],
            payload: Data(#"{"order":{"id":"ord_\#(1000 + index)","total":{"amount":\#(1999 + index),"currency":"EUR"},"items":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}]},"note":"line one\nline two","gift":false,"coupon":null}"#.utf8),
            status: statuses[index % statuses.count], createdAt: at(Double(index) * 7 + 1))
    }

    static let events = (0..<30).map(event)

    static func deliveries(for event: Event) -> [Delivery] {
        [billing, crm, analytics].enumerated().map { offset, endpoint in
            let state: Delivery.State =
                switch (event.status, offset) {
                case (.delivered, _), (.replayed, _): .succeeded
                case (.failed, _): .failed
                case (.partial, 0): .succeeded
                case (.partial, _): .failed
                case (.queued, 0): .succeeded
                case (.queued, 1): .scheduled
                default: .paused
                }
            return Delivery(
                id: id("dlv", 1000 + Int(event.id.suffix(3))! * 10 + offset), tenantID: event.tenantID, eventID: event.id,
                endpointID: endpoint.id, state: state, attemptCount: state == .paused ? 0 : (state == .scheduled ? 2 : 1),
                nextAttemptAt: state == .scheduled ? now.addingTimeInterval(252) : nil,
                lastStatusCode: state == .succeeded ? 200 : (state == .scheduled ? nil : 503),
                lastError: state == .scheduled ? "timeout: no response within 10s" : nil, createdAt: event.createdAt, updatedAt: event.createdAt)
        }
    }

    static func detail(for event: Event) -> EventDetail {
        let deliveries = deliveries(for: event)
        var attempts: [Attempt] = []
        for delivery in deliveries where delivery.attemptCount > 0 {
            for number in 1...delivery.attemptCount {
                let last = number == delivery.attemptCount
                let succeeded = delivery.state == .succeeded && last
                attempts.append(
                    Attempt(
                        id: id("att", Int(delivery.id.suffix(5))! * 10 + number), tenantID: delivery.tenantID, deliveryID: delivery.id,
                        eventID: event.id, endpointID: delivery.endpointID, number: number,
                        url: endpoints.first { $0.id == delivery.endpointID }!.url,
                        requestHeaders: [
                            "content-type": "application/json", "webhook-id": event.id,
                            "webhook-timestamp": "1800000000", "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
                            "user-agent": "Switchboard/1.0",
                        ],
                        statusCode: succeeded ? 200 : (number == 2 ? nil : 503),
                        errorClass: number == 2 && !succeeded ? "timeout" : nil,
                        errorMessage: number == 2 && !succeeded ? "no response within 10s" : nil,
                        responseBody: succeeded ? #"{"ok":true,"received":"\#(event.id)"}"# : (number == 2 ? nil : "<html><body>Service Unavailable</body></html>"),
                        durationMilliseconds: succeeded ? 118 : (number == 2 ? 10_000 : 2_310), createdAt: event.createdAt.addingTimeInterval(Double(number)),
                        nextRetryAt: last && delivery.state == .scheduled ? now.addingTimeInterval(252) : nil))
            }
        }
        return EventDetail(event: event, deliveries: deliveries, attempts: attempts)
    }

    static let retryQueue: [Delivery] = [
        Delivery(
            id: id("dlv", 9001), tenantID: "default", eventID: events[0].id, endpointID: crm.id, state: .scheduled, attemptCount: 2,
            nextAttemptAt: now.addingTimeInterval(252), lastError: "timeout: no response within 10s", createdAt: at(60), updatedAt: at(10)),
        Delivery(
            id: id("dlv", 9002), tenantID: "default", eventID: events[4].id, endpointID: crm.id, state: .scheduled, attemptCount: 4,
            nextAttemptAt: now.addingTimeInterval(1800), lastStatusCode: 503, createdAt: at(600), updatedAt: at(100)),
        Delivery(
            id: id("dlv", 9003), tenantID: "acme", eventID: events[3].id, endpointID: warehouse.id, state: .pending, attemptCount: 0,
            nextAttemptAt: now, createdAt: at(5), updatedAt: at(5)),
        Delivery(
            id: id("dlv", 9004), tenantID: "default", eventID: events[8].id, endpointID: analytics.id, state: .paused, attemptCount: 0,
            createdAt: at(3600), updatedAt: at(3600)),
    ]

    // MARK: Sources

    /// Stripe, receiving again after refusals hours ago, in its secret-rotation grace.
    static let stripe = Source(
        id: id("src", 1), tenantID: "default", name: "stripe-prod", provider: .stripe, signingSecret: Secret("whsec_stripe_secret"),
        previousSigningSecret: Secret("whsec_stripe_old"), previousSecretExpiresAt: now.addingTimeInterval(20 * 3600),
        slug: "in_7Hq2LmX9pR4sT1vW8yZ3aB6c", retentionDays: 30, eventsReceived: 1204, rejectedCount: 3,
        lastRejectionReason: "no v1 signature matches (wrong secret or altered body)", lastRejectedAt: at(4 * 3600),
        lastReceivedAt: at(12), createdAt: at(86400 * 40), updatedAt: at(12))
    /// GitHub, refusing right now.
    static let github = Source(
        id: id("src", 2), tenantID: "default", name: "github-ci", provider: .github, signingSecret: Secret("gh_secret"),
        slug: "in_Gh0000000000000000000001", eventsReceived: 40, rejectedCount: 17,
        lastRejectionReason: "missing X-Hub-Signature-256 header", lastRejectedAt: at(30), lastReceivedAt: at(3 * 3600),
        createdAt: at(86400 * 7), updatedAt: at(30))
    /// The `none` provider: accepts anything.
    static let legacy = Source(
        id: id("src", 3), tenantID: "default", name: "legacy-form", provider: .none, signingSecret: Secret(""),
        slug: "in_NoNe000000000000000000x1", eventsReceived: 12, lastReceivedAt: at(300), createdAt: at(86400 * 3), updatedAt: at(300))
    /// Never received anything.
    static let shopify = Source(
        id: id("src", 4), tenantID: "acme", name: "shopify-eu", provider: .shopify, signingSecret: Secret("shpss_secret"),
        slug: "in_Shop00000000000000000001", createdAt: at(3600), updatedAt: at(3600))
    /// Busy generic HMAC source.
    static let partner = Source(
        id: id("src", 5), tenantID: "acme", name: "partner-hmac", provider: .hmacSHA256, signingSecret: Secret("hmac_secret"),
        slug: "in_Hmac00000000000000000001", retentionDays: 7, eventsReceived: 150_321, lastReceivedAt: at(1),
        createdAt: at(86400 * 90), updatedAt: at(1))

    static let sources = [stripe, github, legacy, shopify, partner]

    /// `state` with the sample sources loaded, `billing` bound to `stripe-prod`, and two of
    /// the shown events received through `stripe-prod`.
    static func withSources(_ state: inout ConsoleState, ingestBaseURL: String = "https://hooks.example.com") {
        state.sources = sources
        state.ingestBaseURL = ingestBaseURL
        if let index = state.endpoints.firstIndex(where: { $0.id == billing.id }) { state.endpoints[index].sourceIDs = [stripe.id] }
        for index in [1, 5] where state.events.rows.indices.contains(index) {
            state.events.rows[index].origin = .source
            state.events.rows[index].sourceID = stripe.id
        }
        state.events.rows[2].origin = .replay
        Reducer.reanchorAll(&state)
    }

    // MARK: State

    /// A console with every pane loaded, as after a few seconds of running.
    static func state(size: TerminalSize = TerminalSize(columns: 120, rows: 40), glyphs: Glyphs = .unicode, readOnly: Bool = false) -> ConsoleState {
        var state = ConsoleState(
            readOnly: readOnly, listenAddress: "127.0.0.1:8080", storeDescription: "sqlite ./switchboard.db", size: size, now: now)
        state.glyphs = glyphs
        state.timeZone = utc
        state.endpoints = endpoints
        state.health = health
        state.gauges = StoreGauges(queueDepth: 3, pausedDeliveries: 1, inFlightDeliveries: 1, enabledEndpoints: 4, failingEndpoints: 1, disabledEndpoints: 1)
        state.events = EventsState(rows: events, windowStart: 0, total: 1_204_311, following: true, unseen: 0, latestRequestID: 1, loaded: true)
        for event in events { state.tallies[event.id] = DeliveryTally(deliveries(for: event)) }
        state.retryQueue = retryQueue
        state.queueGroups = queueGroups
        state.inspected = EventRef(id: events[0].id, tenantID: events[0].tenantID)
        state.inspectedDetail = detail(for: events[0])
        for second in 1...5 {
            state.rates.record(events: 60 + second, attempts: 120 + 3 * second, at: now.addingTimeInterval(-Double(second)))
        }
        for kind in DataKind.allCases { state.sync.finished(kind, at: now) }
        Reducer.reanchorAll(&state)
        return state
    }

    /// Answers the pending load of the inspected event's details, as the runtime would.
    static func loadInspected(_ state: inout ConsoleState) {
        guard let ref = state.inspected, let event = events.first(where: { $0.id == ref.id }) else { return }
        _ = Reducer.reduce(&state, .loaded(.eventDetail(ref, detail(for: event))))
    }

    /// `state` after `keys`, with the effects of the last key.
    @discardableResult
    static func press(_ keys: [Key], _ state: inout ConsoleState) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects = Reducer.reduce(&state, .key(key)) }
        return effects
    }

    /// Keys for each character of `text`.
    static func typing(_ text: String) -> [Key] { text.map { Key.character($0) } }
}
