import SwitchboardCore

/// The full-screen detail view that `Enter` opens and `Esc` or `q` closes.
struct DetailState: Sendable, Hashable {
    var target: DetailTarget
    /// First line shown.
    var scroll = 0
}

/// What a detail view shows.
enum DetailTarget: Sendable, Hashable {
    /// An event and its payload as pretty JSON.
    case event(EventRef)
    /// One attempt: the request headers sent and the response body.
    case attempt(id: String, event: EventRef)
    /// One delivery and its attempts.
    case delivery(id: String, event: EventRef)
    /// An endpoint's settings and health (never its secret).
    case endpoint(id: String)
    /// An inbound source's settings and traffic (never its secret).
    case source(id: String)

    /// The event whose details the view needs, if any.
    var event: EventRef? {
        switch self {
        case .event(let event), .attempt(_, let event), .delivery(_, let event): event
        case .endpoint, .source: nil
        }
    }
}
