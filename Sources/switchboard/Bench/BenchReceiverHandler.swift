import NIOCore
import NIOHTTP1

/// One connection of the bench receiver: answers every `POST /hooks…` with `200` and an empty
/// body, records its arrival, and never answers anything on `/hang`.
final class BenchReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Answer {
        case ok, notFound, never
    }

    private let log: ArrivalLog
    private var answer = Answer.ok
    private var keepAlive = true

    init(log: ArrivalLog) {
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let arrived = ContinuousClock.now
            keepAlive = head.isKeepAlive
            if head.uri.hasPrefix(BenchReceiver.hangPath) {
                answer = .never
                log.recordHang()
            } else if head.method == .POST, head.uri.hasPrefix(BenchReceiver.hooksPath) {
                answer = .ok
                log.recordDelivery(path: head.uri, webhookID: head.headers.first(name: "webhook-id"), at: arrived)
            } else {
                answer = .notFound
            }
        case .body:
            break
        case .end:
            respond(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(context: ChannelHandlerContext) {
        let status: HTTPResponseStatus
        switch answer {
        case .never: return
        case .ok: status = .ok
        case .notFound: status = .notFound
        }
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: "0")
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
