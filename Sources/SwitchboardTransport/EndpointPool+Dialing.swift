import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SwitchboardCore

extension EndpointPool {
    /// Opens a connection for `run`: resolve (unless the host is an IP literal), keep only the addresses
    /// the guard allows, dial them in order, check the connected peer again, then hand it the request.
    ///
    /// The run holds one slot throughout; whichever way the dial ends, the slot is freed exactly once
    /// (``dialEnded(for:)``) or passed to the connection (``adopt(_:handler:for:)``).
    func dial(for run: AttemptRun) {
        run.markConnecting()
        beginDial(for: run)
        if let literal = url.literalAddress {
            admit([literal], for: run)
            return
        }
        let resolver = self.resolver
        let host = url.host
        let port = url.port
        Task {
            let result: Result<[SocketAddress], any Error>
            do {
                result = .success(try await resolver.resolve(host: host, port: port))
            } catch {
                result = .failure(error)
            }
            eventLoop.execute { self.resolved(result, for: run) }
        }
    }

    private func resolved(_ result: Result<[SocketAddress], any Error>, for run: AttemptRun) {
        guard run.isConnecting else { return }
        switch result {
        case .success(let addresses) where !addresses.isEmpty:
            admit(addresses, for: run)
        case .success:
            endDial(for: run, TransportFailure(TransportErrorClass.dns, "\(url.host) resolved to no address"))
        case .failure(let error as SystemHostResolver.ResolutionError):
            endDial(for: run, TransportFailure(TransportErrorClass.dns, error.description))
        case .failure(let error):
            endDial(for: run, TransportFailure(TransportErrorClass.dns, "\(url.host) did not resolve: \(String(describing: error).prefix(200))"))
        }
    }

    /// Dials the addresses the guard allows; refuses the attempt when it allows none.
    private func admit(_ addresses: [SocketAddress], for run: AttemptRun) {
        var allowed: [SocketAddress] = []
        var refusals: [String] = []
        for address in addresses {
            if let refusal = refusal(for: address) {
                refusals.append(refusal)
            } else {
                allowed.append(address)
            }
        }
        guard !allowed.isEmpty else {
            let reasons = refusals.isEmpty ? "no IP address" : refusals.joined(separator: "; ")
            endDial(for: run, TransportFailure(TransportErrorClass.blockedAddress, "no address of \(url.host) may be dialled: \(reasons)"))
            return
        }
        connect(run, to: allowed, index: 0)
    }

    /// Why the guard refuses `address`, naming it; `nil` when it may be dialled.
    private func refusal(for address: SocketAddress) -> String? {
        guard let bytes = address.rawIPBytes else { return "\(address) is not an IP address" }
        guard let reason = addressGuard.refusal(forAddress: bytes) else { return nil }
        let ip = address.ipText
        return reason.contains(ip) ? reason : "\(ip): \(reason)"
    }

    private func connect(_ run: AttemptRun, to addresses: [SocketAddress], index: Int) {
        let address = addresses[index]
        let remaining = run.deadline - .now()
        // Past the deadline the attempt's own timer ends it; nothing to dial.
        guard remaining > .zero else { return }
        guard let bootstrap = ClientBootstrap(validatingGroup: eventLoop) else {
            endDial(for: run, TransportFailure(TransportErrorClass.network, "the event loop group cannot open sockets"))
            return
        }
        let tlsContext = self.tlsContext
        let serverHostname = url.serverHostname
        bootstrap
            .connectTimeout(min(TimeAmount.clampedSeconds(configuration.connectTimeout), remaining))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                run.dialling(channel)
                do {
                    try Self.configure(channel.pipeline.syncOperations, tls: tlsContext, serverHostname: serverHostname)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(to: address)
            .assumeIsolated()
            .whenComplete { [self] result in
                guard run.isConnecting else {
                    if case .success(let channel) = result { channel.close(promise: nil) }
                    return
                }
                switch result {
                case .success(let channel):
                    connected(channel, for: run)
                case .failure(let error):
                    let failure = TransportFailure.connecting(error, to: address)
                    if failure.triesNextAddress && index + 1 < addresses.count {
                        connect(run, to: addresses, index: index + 1)
                    } else {
                        endDial(for: run, failure)
                    }
                }
            }
    }

    /// TLS (when https), the HTTP/1.1 codec, then the exchange handler.
    private static func configure(
        _ pipeline: ChannelPipeline.SynchronousOperations, tls: NIOSSLContext?, serverHostname: String?
    ) throws {
        if let tls {
            try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
        }
        try pipeline.addHTTPClientHandlers()
        try pipeline.addHandler(HTTPExchangeHandler())
    }

    /// Belt and braces: the peer the socket actually reached must pass the guard too.
    private func connected(_ channel: any Channel, for run: AttemptRun) {
        if let peer = channel.remoteAddress, let refusal = refusal(for: peer) {
            channel.close(promise: nil)
            endDial(for: run, TransportFailure(TransportErrorClass.blockedAddress, "the connected address may not be dialled: \(refusal)"))
            return
        }
        guard let handler = try? channel.pipeline.syncOperations.handler(type: HTTPExchangeHandler.self) else {
            channel.close(promise: nil)
            endDial(for: run, TransportFailure(TransportErrorClass.network, "the connection closed while it was set up"))
            return
        }
        adopt(channel, handler: handler, for: run)
    }

    private func endDial(for run: AttemptRun, _ failure: TransportFailure) {
        run.fail(failure)
        dialEnded(for: run)
    }
}
