import Foundation
import NIOCore
import NIOHTTP1
import SwitchboardCore

/// One ``HTTPDeliveryTransport/send(_:)`` in progress: where it stands, its single deadline, and the
/// continuation its caller awaits.
///
/// Created on the caller's task, which hands it the continuation and then gives it to the event loop
/// (``start(_:maxConnections:)``); from then on it is used only on its pool's event loop. Every method
/// other than `start` and ``cancel()`` must run there, which is what makes the unchecked `Sendable` sound.
/// Resuming the caller directly, rather than through an `EventLoopFuture` awaited from outside the loop,
/// saves a hop to the loop per request.
final class AttemptRun: ExchangeDelegate, @unchecked Sendable {
    /// Why an attempt is given up before its response is complete.
    enum AbandonReason {
        case deadline, cancelled, shutdown
    }

    private enum Stage {
        /// Handed to the event loop, not yet in the pool.
        case created
        /// In the pool's queue for a free connection.
        case waiting
        /// Resolving, checking and dialling a new connection; the channel once it exists.
        case connecting((any Channel)?)
        /// Its request is on this connection.
        case exchanging(PooledConnection)
        case finished
    }

    let pool: EndpointPool
    let url: EndpointURL
    let message: WebhookMessage
    let started: NIODeadline
    let timeout: TimeAmount
    let deadline: NIODeadline
    /// Set once by ``start(_:maxConnections:)`` before the event loop sees the run; resumed once.
    private var continuation: UnsafeContinuation<TransportResponse, Never>?
    private var stage = Stage.created
    private var deadlineTask: Scheduled<Void>?
    /// A cancellation that reached the loop before the run did; honoured as it joins the pool.
    private(set) var cancelledBeforeStart = false

    init(pool: EndpointPool, url: EndpointURL, message: WebhookMessage, started: NIODeadline, timeout: TimeAmount) {
        self.pool = pool
        self.url = url
        self.message = message
        self.started = started
        self.timeout = timeout
        self.deadline = started + timeout
    }

    /// Hands the run to its pool; `continuation` is resumed with the response exactly once.
    func start(_ continuation: UnsafeContinuation<TransportResponse, Never>, maxConnections: Int) {
        self.continuation = continuation
        let pool = self.pool
        pool.eventLoop.execute { pool.enqueue(self, maxConnections: maxConnections) }
    }

    var isFinished: Bool {
        if case .finished = stage { return true }
        return false
    }

    var isConnecting: Bool {
        if case .connecting = stage { return true }
        return false
    }

    /// Starts the one timer of this attempt: when it fires, whatever stage the attempt is in ends.
    func armDeadline() {
        deadlineTask = pool.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            abandon(.deadline)
        }
    }

    func markWaiting() {
        stage = .waiting
    }

    func markConnecting() {
        stage = .connecting(nil)
    }

    /// The channel being dialled, so a deadline or cancellation can close it mid-connect.
    func dialling(_ channel: any Channel) {
        if case .connecting = stage { stage = .connecting(channel) }
    }

    /// Writes the request to `connection`; the handler reports back through ``exchangeEnded(_:response:)``.
    func exchange(on connection: PooledConnection) {
        stage = .exchanging(connection)
        connection.handler.send(head: requestHead(), body: requestBody(connection.channel.allocator), to: self)
    }

    func exchangeEnded(_ end: ExchangeEnd, response: ResponseSoFar) {
        guard case .exchanging(let connection) = stage else { return }
        stage = .finished
        switch end {
        case .complete(let keepAlive):
            pool.release(connection, reusable: keepAlive)
            complete(response, failure: nil)
        case .capped:
            pool.release(connection, reusable: false)
            complete(response, failure: nil)
        case .failed(let failure):
            pool.release(connection, reusable: false)
            complete(response, failure: failure)
        }
    }

    /// Ends a connecting attempt whose connection could not be made; the pool has freed the slot.
    func fail(_ failure: TransportFailure) {
        guard !isFinished else { return }
        stage = .finished
        complete(ResponseSoFar(), failure: failure)
    }

    /// Gives the attempt up wherever it is, keeping what arrived, and frees what it held.
    func abandon(_ reason: AbandonReason) {
        let failure: TransportFailure
        var soFar = ResponseSoFar()
        switch stage {
        case .finished:
            return
        case .created:
            // Not in the pool yet (and maybe not started): the pool ends it as it arrives.
            if reason == .cancelled { cancelledBeforeStart = true }
            return
        case .waiting:
            stage = .finished
            failure = describe(reason, stage: "waiting for a free connection (\(pool.maxConnections) in use)")
        case .connecting(let channel):
            stage = .finished
            channel?.close(promise: nil)
            pool.dialEnded(for: self)
            failure = describe(reason, stage: "connecting")
        case .exchanging(let connection):
            soFar = connection.handler.abandon()
            stage = .finished
            pool.release(connection, reusable: false)
            if let head = soFar.head {
                let expected = head.headers.first(name: "content-length").map { " of \($0)" } ?? ""
                failure = describe(reason, stage: "status \(head.status.code), \(soFar.bodyBytes)\(expected) body bytes read")
            } else {
                failure = describe(reason, stage: "waiting for the response head")
            }
        }
        complete(soFar, failure: failure)
    }

    /// Asks the event loop to abandon the attempt: for task cancellation, from any thread.
    func cancel() {
        pool.eventLoop.execute { self.abandon(.cancelled) }
    }

    private func describe(_ reason: AbandonReason, stage: String) -> TransportFailure {
        switch reason {
        case .deadline:
            let seconds = Double(timeout.nanoseconds / 1_000_000) / 1000
            return TransportFailure(TransportErrorClass.timeout, "no complete response within \(seconds) s (\(stage))")
        case .cancelled:
            return TransportFailure(TransportErrorClass.network, "the attempt was cancelled (\(stage))")
        case .shutdown:
            return TransportFailure(TransportErrorClass.shutdown, "the transport is shut down")
        }
    }

    private func complete(_ response: ResponseSoFar, failure: TransportFailure?) {
        deadlineTask?.cancel()
        deadlineTask = nil
        let elapsed = NIODeadline.now() - started
        var result = TransportResponse(duration: Double(elapsed.nanoseconds) / 1e9)
        if let head = response.head {
            let code = Int(head.status.code)
            result.statusCode = code
            result.retryAfter = head.headers.first(name: "retry-after")
            if (300..<400).contains(code) { result.location = head.headers.first(name: "location") }
            result.responseBody = response.body.map { Data($0.readableBytesView) } ?? Data()
        }
        result.errorClass = failure?.errorClass
        result.errorMessage = failure?.message
        let continuation = self.continuation
        self.continuation = nil
        continuation?.resume(returning: result)
    }

    private func requestHead() -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(message.headers.count + 2)
        headers.add(name: "host", value: url.hostHeader)
        headers.add(name: "content-length", value: String(message.body.count))
        for header in message.headers where !Self.isSetByTransport(header.name) {
            headers.add(name: header.name, value: header.value)
        }
        return HTTPRequestHead(version: .http1_1, method: .POST, uri: url.target, headers: headers)
    }

    private func requestBody(_ allocator: ByteBufferAllocator) -> ByteBuffer {
        var body = allocator.buffer(capacity: message.body.count)
        body.writeBytes(message.body)
        return body
    }

    /// `host`, `content-length` and `transfer-encoding` come from the transport, never from the message.
    private static func isSetByTransport(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return name.lowercased() == "host"
        case 14: return name.lowercased() == "content-length"
        case 17: return name.lowercased() == "transfer-encoding"
        default: return false
        }
    }
}
