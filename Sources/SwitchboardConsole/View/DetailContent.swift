import Foundation
import SwitchboardCore

/// The text of a detail view: fields, then the payload, headers or body, wrapped to the
/// view's width. Pure, so the reducer can measure it to bound scrolling.
enum DetailContent {
    /// Width of the field labels.
    static let labelWidth = 14

    static func title(for target: DetailTarget, state: ConsoleState) -> String {
        switch target {
        case .event(let event): "Event \(event.id)"
        case .attempt(let id, _): "Attempt \(id)"
        case .delivery(let id, _): "Delivery \(id)"
        case .endpoint(let id): "Endpoint \(state.endpoint(id: id)?.name ?? id)"
        case .source(let id): "Source \(state.source(id: id)?.name ?? id)"
        }
    }

    static func lines(for target: DetailTarget, state: ConsoleState, width: Int) -> [[Span]] {
        var writer = Writer(width: width, state: state)
        switch target {
        case .event(let ref): writeEvent(ref, &writer)
        case .attempt(let id, let ref): writeAttempt(id, ref, &writer)
        case .delivery(let id, let ref): writeDelivery(id, ref, &writer)
        case .endpoint(let id): writeEndpoint(id, &writer)
        case .source(let id): writeSource(id, &writer)
        }
        return writer.lines
    }

    private static func detail(_ ref: EventRef, _ state: ConsoleState) -> EventDetail? {
        guard let detail = state.inspectedDetail, detail.event.id == ref.id else { return nil }
        return detail
    }

    // MARK: Event

    private static func writeEvent(_ ref: EventRef, _ writer: inout Writer) {
        let state = writer.state
        guard let event = state.events.rows.first(where: { $0.id == ref.id }) ?? detail(ref, state)?.event else {
            writer.text("Loading…", .muted)
            return
        }
        writer.field("id", event.id)
        writer.field("tenant", event.tenantID)
        writer.field("type", event.eventType)
        writer.field("status", StatusStyle.event(event.status, state.glyphs))
        writer.field("origin", event.origin.rawValue)
        writer.field("created", writer.time(event.createdAt))
        if let replayOf = event.replayOf { writer.field("replay of", replayOf) }
        if let source = event.sourceID { writer.field("source", state.source(id: source).map { "\($0.name) (\(source))" } ?? source) }
        if let key = event.idempotencyKey { writer.field("idempotency", key) }
        if let correlation = event.correlationID { writer.field("correlation", correlation) }
        if let tally = state.tallies[event.id] {
            writer.field("deliveries", "\(tally.succeeded)/\(tally.total) succeeded" + (tally.failed > 0 ? ", \(tally.failed) failed" : ""))
        }
        writer.blank()
        writer.heading("Payload (\(Format.count(event.payload.count, "byte")))")
        writer.body(event.payload)
        if let detail = detail(ref, state), !detail.deliveries.isEmpty {
            writer.blank()
            writer.heading("Deliveries")
            for delivery in detail.deliveries {
                let name = state.endpoint(id: delivery.endpointID)?.name ?? delivery.endpointID
                writer.spans([Span("  " + name + "  "), StatusStyle.delivery(delivery.state, state.glyphs), Span("  " + Format.count(delivery.attemptCount, "attempt"), .muted)])
            }
        }
    }

    // MARK: Attempt

    private static func writeAttempt(_ id: String, _ ref: EventRef, _ writer: inout Writer) {
        let state = writer.state
        guard let detail = detail(ref, state), let attempt = detail.attempts.first(where: { $0.id == id }) else {
            writer.text("Loading…", .muted)
            return
        }
        let endpoint = state.endpoint(id: attempt.endpointID)
        writer.field("attempt", "#\(attempt.number) of delivery \(attempt.deliveryID)")
        writer.field("event", "\(attempt.eventID) (\(detail.event.eventType))")
        writer.field("endpoint", (endpoint?.name).map { "\($0) (\(attempt.endpointID))" } ?? attempt.endpointID)
        writer.field("url", attempt.url)
        writer.field("result", StatusStyle.attempt(attempt, state.glyphs))
        if let message = attempt.errorMessage { writer.field("error", message, .error) }
        writer.field("took", Format.duration(milliseconds: attempt.durationMilliseconds))
        writer.field("at", writer.time(attempt.createdAt))
        if let next = attempt.nextRetryAt {
            writer.field("next retry", Format.timestamp(next, timeZone: state.timeZone) + " (" + Format.countdown(to: next, now: state.now) + ")")
        }
        writer.blank()
        writer.heading("Request headers sent")
        if attempt.requestHeaders.isEmpty { writer.text("  (none recorded)", .muted) }
        for name in attempt.requestHeaders.keys.sorted(by: { $0.lowercased() < $1.lowercased() }) {
            writer.spans([Span("  " + name + ": ", .info), Span(attempt.requestHeaders[name] ?? "")], indent: 4)
        }
        writer.blank()
        if let body = attempt.responseBody, !body.isEmpty {
            writer.heading("Response body (\(Format.count(body.utf8.count, "byte")))")
            writer.body(Data(body.utf8))
        } else {
            writer.heading("Response body")
            writer.text("  (empty)", .muted)
        }
    }

    // MARK: Delivery

    private static func writeDelivery(_ id: String, _ ref: EventRef, _ writer: inout Writer) {
        let state = writer.state
        let detail = detail(ref, state)
        guard let delivery = detail?.deliveries.first(where: { $0.id == id }) ?? state.retryQueue.first(where: { $0.id == id }) else {
            writer.text("Loading…", .muted)
            return
        }
        let endpoint = state.endpoint(id: delivery.endpointID)
        writer.field("id", delivery.id)
        writer.field("event", delivery.eventID + (detail.map { " (\($0.event.eventType))" } ?? ""))
        writer.field("endpoint", (endpoint?.name).map { "\($0) (\(delivery.endpointID))" } ?? delivery.endpointID)
        if let endpoint { writer.field("url", endpoint.url) }
        writer.field("tenant", delivery.tenantID)
        writer.field("state", StatusStyle.delivery(delivery.state, state.glyphs))
        writer.field("attempts", String(delivery.attemptCount))
        if let next = delivery.nextAttemptAt, !delivery.state.isTerminal, delivery.state != .paused {
            writer.field("next attempt", Format.timestamp(next, timeZone: state.timeZone) + " (" + Format.countdown(to: next, now: state.now) + ")")
        }
        if let code = delivery.lastStatusCode { writer.field("last status", String(code)) }
        if let error = delivery.lastError { writer.field("last error", error, .error) }
        writer.field("created", writer.time(delivery.createdAt))
        writer.field("updated", writer.time(delivery.updatedAt))
        writer.blank()
        writer.heading("Attempts")
        let attempts = (detail?.attempts ?? []).filter { $0.deliveryID == id }.sorted { $0.number < $1.number }
        if detail == nil { writer.text("  Loading…", .muted) } else if attempts.isEmpty { writer.text("  (none yet)", .muted) }
        for attempt in attempts {
            var spans = [Span("  #\(attempt.number)  ", .muted), StatusStyle.attempt(attempt, state.glyphs),
                         Span("  " + Format.duration(milliseconds: attempt.durationMilliseconds)),
                         Span("  " + Format.timestamp(attempt.createdAt, timeZone: state.timeZone), .muted)]
            if let message = attempt.errorMessage { spans.append(Span("  " + message, .error)) }
            writer.spans(spans, indent: 6)
        }
    }

    // MARK: Endpoint

    private static func writeEndpoint(_ id: String, _ writer: inout Writer) {
        let state = writer.state
        guard let endpoint = state.endpoint(id: id) else {
            writer.text("This endpoint no longer exists.", .muted)
            return
        }
        writer.field("id", endpoint.id)
        writer.field("tenant", endpoint.tenantID)
        writer.field("name", endpoint.name)
        writer.field("url", endpoint.url)
        writer.field("state", StatusStyle.endpoint(state.status(of: endpoint), state.glyphs))
        if let reason = endpoint.disabledReason { writer.field("disabled", reason + (endpoint.disabledAt.map { ", " + writer.time($0) } ?? "")) }
        if let since = endpoint.failingSince { writer.field("failing since", writer.time(since), .error) }
        if !endpoint.description.isEmpty { writer.field("description", endpoint.description) }
        writer.field("event types", endpoint.eventTypes.isEmpty ? "all" : endpoint.eventTypes.joined(separator: ", "))
        writer.field("auth", endpoint.authMode.rawValue)
        writer.field("secret", "hidden (R rotates it and shows the new one once)", .muted)
        if let expiry = endpoint.previousSecretExpiresAt, expiry > state.now {
            writer.field("old secret", "still signs until " + Format.timestamp(expiry, timeZone: state.timeZone))
        }
        writer.field("concurrency", String(endpoint.maxConcurrency))
        writer.field("rate limit", endpoint.rateLimitPerSecond.map { "\($0) deliveries/s" } ?? "none")
        if !endpoint.headers.isEmpty { writer.field("headers", endpoint.headers.keys.sorted().joined(separator: ", ") + " (values hidden)") }
        if !endpoint.sourceIDs.isEmpty { writer.field("sources", endpoint.sourceIDs.joined(separator: ", ")) }
        writer.field("created", writer.time(endpoint.createdAt))
        writer.blank()
        writer.heading("Recent attempts")
        guard let health = state.health[endpoint.id], health.recentAttempts > 0 else {
            writer.text("  none since the console started", .muted)
            return
        }
        writer.field("attempts", String(health.recentAttempts))
        if let rate = health.successRate { writer.field("success", Format.percent(rate)) }
        if let p50 = health.p50Milliseconds { writer.field("p50", Format.duration(milliseconds: p50)) }
        writer.field("in flight", String(health.inFlight))
        if let last = health.lastOutcome { writer.field("last", StatusStyle.outcome(last)) }
        if let at = health.lastAttemptAt { writer.field("last at", writer.time(at)) }
    }

    // MARK: Source

    private static func writeSource(_ id: String, _ writer: inout Writer) {
        let state = writer.state
        guard let source = state.source(id: id) else {
            writer.text("This source no longer exists.", .muted)
            return
        }
        let glyphs = state.glyphs
        writer.field("id", source.id)
        writer.field("tenant", source.tenantID)
        writer.field("name", source.name)
        if source.provider == .none {
            writer.field("provider", Span("none \(glyphs.separator) \(glyphs.failing) UNVERIFIED: accepts any request, nothing is checked", .warning))
        } else {
            writer.field("provider", "\(source.provider.rawValue) \(glyphs.separator) verifies \(SourceText.verification(source.provider))")
        }
        writer.field("ingest URL", Span(source.ingestURL(base: state.ingestBaseURL), .info))
        writer.field("retention", source.retentionDays.map { Format.count($0, "day") } ?? "the global retention.days")
        if source.provider != .none {
            writer.field("secret", "hidden (rotate it with POST /v1/sources/{id}/rotate-secret)", .muted)
        }
        if let expiry = source.previousSecretExpiresAt, expiry > state.now {
            writer.field(
                "old secret", "still accepted until " + Format.timestamp(expiry, timeZone: state.timeZone) + " (" + Format.countdown(to: expiry, now: state.now) + ")",
                .warning)
        }
        let bound = state.endpoints.filter { $0.tenantID == source.tenantID && $0.sourceIDs.contains(source.id) }
        if bound.isEmpty {
            writer.field("forwards to", "none: its events reach no endpoint (add: POST …/destinations)", .warning)
        } else {
            writer.field("forwards to", bound.map(\.name).joined(separator: ", "))
        }
        writer.field("created", writer.time(source.createdAt))
        writer.blank()
        writer.heading("Traffic")
        writer.field("received", Format.grouped(source.eventsReceived) + (source.eventsReceived == 1 ? " event" : " events"))
        writer.field("last received", source.lastReceivedAt.map { writer.time($0) } ?? "never")
        writer.field(
            "rejected",
            Span(Format.grouped(source.rejectedCount) + (source.rejectedCount == 1 ? " request" : " requests"), source.rejectedCount > 0 ? .error : .plain))
        if let at = source.lastRejectedAt {
            let current = SourceStatus.isRefusing(source)
            writer.field("last refusal", Span(writer.time(at) + (current ? " \(glyphs.separator) still refusing" : ""), current ? .error : .plain))
        }
        if let reason = source.lastRejectionReason {
            writer.field("reason", reason, .error)
        }
    }

    // MARK: Writer

    private struct Writer {
        let width: Int
        let state: ConsoleState
        var lines: [[Span]] = []

        mutating func heading(_ text: String) { spans([Span(text, .titleFocused)]) }
        mutating func blank() { lines.append([]) }

        mutating func field(_ label: String, _ value: String, _ role: StyleRole = .plain) {
            field(label, Span(value, role))
        }

        mutating func field(_ label: String, _ value: Span) {
            let padded = label.padding(toLength: DetailContent.labelWidth, withPad: " ", startingAt: 0)
            spans([Span(padded, .muted), value], indent: DetailContent.labelWidth)
        }

        mutating func spans(_ spans: [Span], indent: Int = 2) {
            lines += SpanWrap.wrap(spans, width: width, indent: indent)
        }

        mutating func text(_ text: String, _ role: StyleRole = .plain) {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                spans([Span(String(line), role)], indent: 0)
            }
        }

        /// A payload or body: pretty JSON when it is JSON, else its text.
        mutating func body(_ data: Data) {
            if let json = PrettyJSON.lines(data) {
                for line in json { spans(line, indent: 0) }
            } else {
                text(String(decoding: data, as: UTF8.self))
            }
        }

        func time(_ date: Date) -> String {
            Format.timestamp(date, timeZone: state.timeZone) + " (" + Format.ago(date, now: state.now) + ")"
        }
    }
}
