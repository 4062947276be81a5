import Foundation
import SwitchboardCore

/// A key as the console understands it, independent of curses.
enum Key: Sendable, Hashable {
    /// A printable character.
    case character(Character)
    /// Ctrl with a letter, lowercase: `.control("c")` is Ctrl-C.
    case control(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end
}

/// Everything that can change the console's state.
enum Input: Sendable {
    case key(Key)
    /// Pasted text (bracketed paste): it goes into an open prompt or is dropped; it never
    /// runs keys.
    case paste(String)
    case resize(TerminalSize)
    /// Time passed: expire flashes, schedule loads that are due.
    case tick(Date)
    /// Changes from the feed since the last batch; `dropped` is the feed's running count of
    /// changes this subscriber lost.
    case changes([Change], dropped: Int)
    /// A load finished.
    case loaded(DataResult)
    /// An operator action finished.
    case completed(ActionOutcome)
    /// The attached server's connection changed; `resumed` when it came back after a loss,
    /// so that everything is loaded again (changes may have been missed meanwhile).
    case connection(SessionStatus.Connection, resumed: Bool)
}

/// Data the console asked for.
enum DataRequest: Sendable, Hashable {
    case endpoints
    case sources
    case health
    case gauges
    case events(EventsWindowRequest)
    /// One endpoint's waiting deliveries, soonest first.
    case retryQueue(endpointID: String, tenantID: TenantID, limit: Int)
    /// The retry queue grouped by endpoint.
    case queueGroups
    /// Failed and retrying deliveries, newest first.
    case failures(limit: Int)
    /// The server's recent log lines.
    case logs(limit: Int)
    /// Where a whole id lives, over the whole store.
    case locate(String)
    case eventDetail(EventRef)
    /// Delivery states of these events (for rows loaded from the store).
    case tallies([EventRef])

    var kind: DataKind {
        switch self {
        case .endpoints: .endpoints
        case .sources: .sources
        case .health: .health
        case .gauges: .gauges
        case .events: .events
        case .retryQueue: .retryQueue
        case .queueGroups: .queueGroups
        case .failures: .failures
        case .logs: .logs
        case .locate: .locate
        case .eventDetail: .eventDetail
        case .tallies: .tallies
        }
    }
}

/// What a load brought back.
enum DataResult: Sendable {
    case endpoints([Endpoint])
    case sources([Source])
    case health([String: EndpointHealthBoard.Snapshot])
    case gauges(StoreGauges)
    case events(EventsWindowRequest, Page<Event>)
    case retryQueue(endpointID: String, [Delivery])
    case queueGroups([QueueGroup])
    case failures([FailureRow])
    case logs([LogRow])
    case located(String, LocatedTarget)
    case eventDetail(EventRef, EventDetail)
    case tallies([String: DeliveryTally], requested: [EventRef])
    /// The load failed with a message safe to show.
    case failed(DataRequest, String)
}

/// What an operator action did.
enum ActionOutcome: Sendable {
    case replayed(original: EventRef, result: PublishResult, endpointNames: [String])
    case retried(Delivery, endpointName: String)
    /// Failed deliveries of an endpoint requeued since a time.
    case recovered(endpointName: String, since: Date, count: Int)
    /// The event's failed deliveries that were requeued.
    case retriedFailed(original: EventRef, deliveries: [Delivery])
    case endpointChanged(Endpoint)
    case secretRotated(Endpoint)
    case failed(OperatorAction, String)
}

/// What the reducer asks the runtime to do.
enum Effect: Sendable, Hashable {
    case load(DataRequest)
    case perform(OperatorAction)
    /// Leave the console and restore the terminal.
    case quit
    /// Ctrl-Z: stop until `fg`.
    case suspend
    /// Put text on the terminal's clipboard (OSC 52).
    case copy(String)
}
