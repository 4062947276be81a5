import NIOCore
import NIOSSL
import SwitchboardCore

/// The keep-alive connections of one endpoint to one scheme, host and port, and the FIFO queue of
/// attempts waiting for one.
///
/// Every pool lives on one event loop and all its state is touched only there (hence the unchecked
/// `Sendable`: callers hop with `eventLoop.execute`). Pools share nothing, so an endpoint whose
/// receiver hangs fills only its own slots and queue.
final class EndpointPool: @unchecked Sendable {
    let key: PoolKey
    let url: EndpointURL
    let eventLoop: any EventLoop
    let configuration: TransportConfiguration
    let addressGuard: any AddressGuard
    let resolver: any HostResolver
    let tlsContext: NIOSSLContext?
    /// The endpoint's concurrency, as its latest request gave it.
    private(set) var maxConnections = 1

    /// Open connections plus dials in progress: never above ``maxConnections`` once slots free up.
    private var slotsInUse = 0
    private var connections: [PooledConnection] = []
    /// Idle connections, most recently used last; the first is the oldest.
    private var idle: [PooledConnection] = []
    private var waiters = CircularBuffer<AttemptRun>()
    private var dialling: [AttemptRun] = []
    private var idleSweep: Scheduled<Void>?
    private var isShutDown = false
    /// Set while ``serveWaiters()`` runs: a dial that fails at once calls back in, and the running
    /// loop picks up the freed slot instead of recursing once per waiter.
    private var isServingWaiters = false

    init(
        key: PoolKey, url: EndpointURL, eventLoop: any EventLoop, configuration: TransportConfiguration,
        addressGuard: any AddressGuard, resolver: any HostResolver, tlsContext: NIOSSLContext?
    ) {
        self.key = key
        self.url = url
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.addressGuard = addressGuard
        self.resolver = resolver
        self.tlsContext = tlsContext
    }

    private var idleTimeout: TimeAmount { TimeAmount.clampedSeconds(configuration.idleTimeout) }

    /// Queues `run` and serves the queue: an idle connection, else a new one while slots are free.
    func enqueue(_ run: AttemptRun, maxConnections: Int) {
        self.maxConnections = max(1, maxConnections)
        run.markWaiting()
        guard !run.cancelledBeforeStart else {
            run.abandon(.cancelled)
            return
        }
        guard !isShutDown else {
            run.abandon(.shutdown)
            return
        }
        run.armDeadline()
        waiters.append(run)
        serveWaiters()
    }

    /// Takes back `connection` after an exchange: kept for the next request only if `reusable`.
    func release(_ connection: PooledConnection, reusable: Bool) {
        guard reusable, !isShutDown, connection.canCarryRequest else {
            connection.close()
            return
        }
        connection.idleSince = .now()
        idle.append(connection)
        scheduleIdleSweep()
        serveWaiters()
    }

    /// A dial ended without a connection (failed or abandoned): frees its slot for the next waiter.
    func dialEnded(for run: AttemptRun) {
        dialling.removeAll { $0 === run }
        slotsInUse -= 1
        serveWaiters()
    }

    /// Ends every waiting and running attempt with `shutdown` and closes every connection.
    func shutdown() -> EventLoopFuture<Void> {
        isShutDown = true
        idleSweep?.cancel()
        idleSweep = nil
        while let run = waiters.popFirst() { run.abandon(.shutdown) }
        for run in dialling { run.abandon(.shutdown) }
        let closing = connections.map(\.channel.closeFuture)
        for connection in connections {
            (connection.handler.delegate as? AttemptRun)?.abandon(.shutdown)
            connection.close()
        }
        return EventLoopFuture.andAllComplete(closing, on: eventLoop)
    }

    /// Adopts a freshly dialled channel as a pooled connection for `run`.
    func adopt(_ channel: any Channel, handler: HTTPExchangeHandler, for run: AttemptRun) {
        dialling.removeAll { $0 === run }
        let connection = PooledConnection(channel: channel, handler: handler)
        connections.append(connection)
        channel.closeFuture.assumeIsolated().whenComplete { [self] _ in connectionClosed(connection) }
        run.exchange(on: connection)
    }

    /// Records `run` as dialling so shutdown can reach it.
    func beginDial(for run: AttemptRun) {
        dialling.append(run)
    }

    private func serveWaiters() {
        guard !isServingWaiters else { return }
        isServingWaiters = true
        defer { isServingWaiters = false }
        while !isShutDown, let run = waiters.first {
            if run.isFinished {
                waiters.removeFirst()
            } else if let connection = takeIdle() {
                waiters.removeFirst()
                run.exchange(on: connection)
            } else if slotsInUse < maxConnections {
                waiters.removeFirst()
                slotsInUse += 1
                dial(for: run)
            } else {
                return
            }
        }
    }

    private func takeIdle() -> PooledConnection? {
        while let connection = idle.popLast() {
            if connection.canCarryRequest { return connection }
            connection.close()
        }
        return nil
    }

    private func connectionClosed(_ connection: PooledConnection) {
        slotsInUse -= 1
        connections.removeAll { $0 === connection }
        idle.removeAll { $0 === connection }
        serveWaiters()
    }

    private func scheduleIdleSweep() {
        guard idleSweep == nil, let oldest = idle.first else { return }
        idleSweep = eventLoop.assumeIsolated().scheduleTask(deadline: oldest.idleSince + idleTimeout) { [self] in
            idleSweep = nil
            let now = NIODeadline.now()
            let timeout = idleTimeout
            idle.removeAll { connection in
                guard connection.idleSince + timeout <= now else { return false }
                connection.close()
                return true
            }
            scheduleIdleSweep()
        }
    }
}

extension TimeAmount {
    /// `seconds` as a time amount, clamped to 0...1 day (NaN counts as 0).
    static func clampedSeconds(_ seconds: Double) -> TimeAmount {
        guard seconds > 0 else { return .zero }
        return .nanoseconds(Int64(min(seconds, 86_400) * 1e9))
    }
}
