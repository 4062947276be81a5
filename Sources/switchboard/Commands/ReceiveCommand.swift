import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SwitchboardCore

/// `switchboard receive`: a local webhook receiver for development, in the spirit of
/// `stripe listen` and `svix listen`. It prints every request it gets and checks its
/// Standard Webhooks signature when given the endpoint's secret.
struct ReceiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Run a local webhook receiver that prints every request it gets.",
        discussion: """
            Listens on --host:--port and answers every request, whatever its method and path, \
            with --status (default 200). For each request it prints a block to standard output: \
            the time, method, path and the status answered, the body's event `type`, the \
            webhook-id, the x-switchboard-source-* and x-switchboard-correlation-id headers (all \
            headers with --headers), the signature verdict, and the body, pretty-printed when it \
            is JSON. Output is written per request, so it can be followed through a pipe or a file.

            With --secret (the endpoint's whsec_… secret, shown when the endpoint was created), \
            the Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature) is \
            verified with --tolerance seconds of clock skew; a request that fails is answered 401 \
            and the reason is printed, so Switchboard retries it and shows the failure.

            Point an endpoint (or a source's destination) at it, then run the receiver with the \
            "secret" of the answer:

              curl -s -X POST $SB/v1/endpoints -H "Authorization: Bearer $KEY" \\
                -H 'content-type: application/json' \\
                -d '{"name": "laptop", "url": "http://127.0.0.1:9000/hooks"}'
              switchboard receive --port 9000 --secret whsec_…

            Ctrl-C or SIGTERM stops it after the requests in progress are answered.
            """)

    @Option(name: .long, help: "Address to listen on; 0.0.0.0 accepts requests from other machines.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one and prints it).")
    var port: Int = 9000

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The endpoint's signing secret (whsec_…): verify every request's Standard Webhooks signature and answer 401 when it fails.",
            valueName: "whsec_…"))
    var secret: String?

    @Option(name: .long, help: "Seconds a webhook-timestamp may differ from this machine's clock when verifying.")
    var tolerance: Int = 300

    @Option(name: .long, help: "Status to answer every request with (401 instead when --secret is given and the signature fails).")
    var status: Int = 200

    @Flag(name: .long, help: "Print every request header, not only the webhook and Switchboard ones.")
    var headers = false

    @Option(name: .customLong("body-limit"), help: "Characters of each body to print before truncating it; 0 prints bodies whole.")
    var bodyLimit: Int = 4096

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (200...599).contains(status) else { throw ValidationError("--status must be an HTTP status between 200 and 599") }
        guard tolerance >= 0 else { throw ValidationError("--tolerance must be 0 or more seconds") }
        guard bodyLimit >= 0 else { throw ValidationError("--body-limit must be 0 (no limit) or more") }
        if let secret, secret.isEmpty { throw ValidationError("--secret must not be empty") }
    }

    func run() async throws {
        let output = ReceiveOutput()
        let check = secret.map { SignatureCheck(secret: Secret($0), tolerance: tolerance) }
        let responder = ReceiveResponder(status: status, signatureCheck: check, allHeaders: headers, bodyLimit: bodyLimit, output: output)
        var logger = Logger(label: "switchboard.receive") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .critical
        let banner = banner(secret: secret.map(Secret.init))
        let host = host
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: "switchboard-receive"),
            onServerRunning: { channel in
                let boundPort = channel.localAddress?.port ?? port
                output.line(banner(Self.displayURL(host: host, port: boundPort)))
            },
            logger: logger)
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            throw ReceiveError.explaining(error, host: host, port: port)
        }
        output.line("Stopped after \(output.received) request(s).")
    }

    /// The lines printed once the server listens.
    private func banner(secret: Secret?) -> @Sendable (String) -> String {
        let status = status
        let tolerance = tolerance
        return { url in
            var lines = ["Receiving webhooks on \(url) (any method, any path); answering \(status)."]
            if let secret {
                lines.append("Verifying Standard Webhooks signatures with \(secret) (±\(tolerance) s); failures are answered 401.")
            } else {
                lines.append("Not verifying signatures (give the endpoint's secret with --secret to check them).")
            }
            lines.append("Press Ctrl-C to stop.\n")
            return lines.joined(separator: "\n")
        }
    }

    static func displayURL(host: String, port: Int) -> String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }
}

/// Why `switchboard receive` could not run, in words a developer can act on.
struct ReceiveError: Error, CustomStringConvertible {
    let description: String

    /// Turns the server's bind errors into a sentence naming the address; passes others on.
    static func explaining(_ error: any Error, host: String, port: Int) -> any Error {
        let text = String(describing: error)
        let address = ReceiveCommand.displayURL(host: host, port: port)
        if text.contains("Address already in use") || text.contains("errno: 98)") {
            return ReceiveError(description: "\(address) is already in use by another program; stop it or choose another port with --port.")
        }
        if text.contains("Permission denied") || text.contains("errno: 13)") {
            return ReceiveError(description: "not allowed to listen on \(address); ports below 1024 need privileges, choose another with --port.")
        }
        if text.contains("Cannot assign requested address") || text.contains("errno: 99)") {
            return ReceiveError(description: "cannot listen on \(host): it is not an address of this machine; try --host 127.0.0.1.")
        }
        if text.contains("UnknownHost") || text.lowercased().contains("getaddrinfo") {
            return ReceiveError(description: "cannot resolve --host \(host); give an address of this machine such as 127.0.0.1 or 0.0.0.0.")
        }
        return error
    }
}
