/// The `status` of an event search at the delivery level, as an operator means it.
///
/// `failed` and `retrying` look at the event's deliveries, so an event still `QUEUED` or
/// `PARTIAL` with one delivery failed for good matches `failed`; the other words are the event
/// status of that name.
public enum DeliveryStatusFilter: String, Sendable, Hashable, CaseIterable, Codable {
    /// Some delivery of the event failed for good (state `failed`).
    case failed
    /// Some delivery of the event is `scheduled` after a failed attempt (`attemptCount > 0`).
    case retrying
    /// The event status ``Event/Status/partial``.
    case partial
    /// The event status ``Event/Status/delivered``.
    case delivered
    /// The event status ``Event/Status/queued``.
    case queued
    /// The event status ``Event/Status/replayed``.
    case replayed

    /// The event status this word names, `nil` for the delivery-level words.
    public var eventStatus: Event.Status? {
        switch self {
        case .failed, .retrying: nil
        case .partial: .partial
        case .delivered: .delivered
        case .queued: .queued
        case .replayed: .replayed
        }
    }
}
