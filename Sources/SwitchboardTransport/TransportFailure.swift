import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import SwitchboardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure already sorted into a ``TransportErrorClass`` with a message fit to store and show.
///
/// Messages name addresses and stages, never headers, bodies or URLs with their credentials.
struct TransportFailure: Error, Sendable {
    var errorClass: String
    var message: String

    init(_ errorClass: String, _ message: String) {
        self.errorClass = errorClass
        self.message = message
    }

    /// Whether the next resolved address is worth trying at once after this connect failure.
    var triesNextAddress: Bool {
        errorClass == TransportErrorClass.connectionRefused || errorClass == TransportErrorClass.unreachable
    }

    /// A failed connect to `address` (refused and unreachable come back at once from the kernel).
    static func connecting(_ error: any Error, to address: SocketAddress) -> TransportFailure {
        let target = "\(address.ipText):\(address.port ?? 0)"
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .init(TransportErrorClass.connectionRefused, "connection refused by \(target)")
            case ENETUNREACH: return .init(TransportErrorClass.unreachable, "network unreachable for \(target)")
            case EHOSTUNREACH: return .init(TransportErrorClass.unreachable, "no route to host \(target)")
            case ETIMEDOUT: return .init(TransportErrorClass.timeout, "connecting to \(target) timed out")
            case ECONNRESET: return .init(TransportErrorClass.connectionClosed, "\(target) reset the connection")
            default: return .init(TransportErrorClass.network, "connecting to \(target) failed: \(errnoText(error.errnoCode))")
            }
        }
        if case ChannelError.connectTimeout(let amount) = error {
            return .init(TransportErrorClass.timeout, "connecting to \(target) took longer than \(milliseconds(amount)) ms")
        }
        if let tls = tlsFailure(error) { return tls }
        return .init(TransportErrorClass.network, "connecting to \(target) failed: \(short(error))")
    }

    /// An error on an open connection while a request was in flight.
    static func exchanging(_ error: any Error) -> TransportFailure {
        if let tls = tlsFailure(error) { return tls }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNRESET, EPIPE: return .init(TransportErrorClass.connectionClosed, "the receiver reset the connection")
            default: return .init(TransportErrorClass.network, "the connection failed: \(errnoText(error.errnoCode))")
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return closedEarly
            default:
                return .init(TransportErrorClass.network, "the connection failed: \(short(error))")
            }
        }
        if error is HTTPParserError {
            return .init(TransportErrorClass.network, "the receiver sent a malformed HTTP response")
        }
        return .init(TransportErrorClass.network, "the connection failed: \(short(error))")
    }

    /// The receiver closed the connection before the response was complete.
    static let closedEarly = TransportFailure(
        TransportErrorClass.connectionClosed, "the receiver closed the connection before a complete response")

    private static func tlsFailure(_ error: any Error) -> TransportFailure? {
        switch error {
        case NIOSSLError.uncleanShutdown:
            return closedEarly
        case let error as NIOSSLError:
            return .init(TransportErrorClass.tls, "TLS failed: \(boringSSLReason(error))")
        case let error as NIOSSLExtraError:
            return .init(TransportErrorClass.tls, "TLS failed: \(short(error))")
        case let error as BoringSSLError:
            return .init(TransportErrorClass.tls, "TLS failed: \(boringSSLReason(error))")
        default:
            return nil
        }
    }

    /// BoringSSL's reason codes (`WRONG_VERSION_NUMBER`, `CERTIFICATE_VERIFY_FAILED`) without its
    /// error numbers and source paths.
    private static func boringSSLReason(_ error: any Error) -> String {
        let text = String(describing: error)
        let reasons = text.components(separatedBy: "OPENSSL_internal:").dropFirst().compactMap { part in
            part.split(whereSeparator: { $0 == " " || $0 == "]" || $0 == "," }).first.map(String.init)
        }
        guard !reasons.isEmpty else { return short(error) }
        let stage = text.hasPrefix("handshakeFailed") ? "handshake failed: " : ""
        return stage + reasons.joined(separator: ", ")
    }

    private static func errnoText(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }

    private static func short(_ error: any Error) -> String {
        String(String(describing: error).prefix(200))
    }

    static func milliseconds(_ amount: TimeAmount) -> Int64 { amount.nanoseconds / 1_000_000 }
}
