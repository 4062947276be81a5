import NIOCore

/// One open connection of an ``EndpointPool``: its channel, the handler that runs its exchanges,
/// and since when it has been idle. Used only on the pool's event loop.
final class PooledConnection {
    let channel: any Channel
    let handler: HTTPExchangeHandler
    /// When the connection last went idle; the pool closes it `idleTimeout` later.
    var idleSince: NIODeadline = .now()
    private(set) var isClosing = false

    init(channel: any Channel, handler: HTTPExchangeHandler) {
        self.channel = channel
        self.handler = handler
    }

    /// Whether another request may be written to it now.
    var canCarryRequest: Bool { !isClosing && channel.isActive && !handler.isBusy }

    /// Closes the connection; the pool frees its slot when the channel's close completes.
    func close() {
        guard !isClosing else { return }
        isClosing = true
        channel.close(promise: nil)
    }
}
