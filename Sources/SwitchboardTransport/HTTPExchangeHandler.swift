import NIOCore
import NIOHTTP1
import SwitchboardCore

/// What a receiver has sent back so far for the request in flight.
struct ResponseSoFar {
    var head: HTTPResponseHead?
    /// At most ``Attempt/maxResponseBodyBytes``.
    var body: ByteBuffer?

    var bodyBytes: Int { body?.readableBytes ?? 0 }
}

/// How an exchange ended, as the handler saw it.
enum ExchangeEnd {
    /// The whole response arrived; `keepAlive` when the connection may carry another request.
    case complete(keepAlive: Bool)
    /// The body reached ``Attempt/maxResponseBodyBytes``: reading stopped, the connection must close.
    case capped
    /// The connection failed or closed before the response was complete.
    case failed(TransportFailure)
}

/// Told, on the connection's event loop, how the request it handed to an ``HTTPExchangeHandler`` ended.
protocol ExchangeDelegate: AnyObject {
    func exchangeEnded(_ end: ExchangeEnd, response: ResponseSoFar)
}

/// The last handler of a delivery connection: writes one request at a time and reports its response
/// to the delegate once, without an async sequence per chunk.
final class HTTPExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var context: ChannelHandlerContext?
    private(set) var delegate: (any ExchangeDelegate)?
    private var response = ResponseSoFar()

    /// Whether a request is in flight.
    var isBusy: Bool { delegate != nil }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes `head` and `body` and reports the response to `delegate`.
    func send(head: HTTPRequestHead, body: ByteBuffer, to delegate: any ExchangeDelegate) {
        precondition(self.delegate == nil, "one request at a time on a delivery connection")
        guard let context, context.channel.isActive else {
            delegate.exchangeEnded(.failed(TransportFailure.closedEarly), response: ResponseSoFar())
            return
        }
        self.delegate = delegate
        response = ResponseSoFar()
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Forgets the request in flight (its deadline passed or it was cancelled) and returns what had arrived.
    /// The connection is left mid-response: the caller closes it.
    func abandon() -> ResponseSoFar {
        delegate = nil
        defer { response = ResponseSoFar() }
        return response
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard delegate != nil else {
            // Nothing was asked: a receiver talking out of turn cannot be trusted with the next request.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            response.head = head
        case .body(var chunk):
            let room = Attempt.maxResponseBodyBytes - response.bodyBytes
            if chunk.readableBytes > room {
                if room > 0, let slice = chunk.readSlice(length: room) { append(slice) }
                end(.capped)
                context.close(promise: nil)
            } else {
                append(chunk)
            }
        case .end:
            end(.complete(keepAlive: response.head?.isKeepAlive ?? false))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if delegate != nil {
            end(.failed(TransportFailure.closedEarly))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if delegate != nil {
            end(.failed(TransportFailure.exchanging(error)))
        }
        context.close(promise: nil)
    }

    private func append(_ chunk: ByteBuffer) {
        if response.body == nil {
            response.body = chunk
        } else {
            var chunk = chunk
            response.body!.writeBuffer(&chunk)
        }
    }

    /// Hands the outcome over once; the delegate may send the next request from inside the call.
    private func end(_ end: ExchangeEnd) {
        guard let delegate else { return }
        let finished = response
        self.delegate = nil
        response = ResponseSoFar()
        delegate.exchangeEnded(end, response: finished)
    }
}
