import Foundation

/// Where and how a ``PostgresStore`` connects: parsed from a `postgres://` URL, with the TLS
/// mode and pool size as separate settings.
///
/// The password is kept out of every message: ``redactedURL`` is what logs and errors show.
public struct PostgresStoreConfiguration: Sendable, Hashable {
    /// Whether the connection is encrypted.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain otherwise (libpq's default).
        case prefer
        /// TLS or no connection; the server's certificate is verified.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// Most connections this node opens.
    public var poolSize: Int
    /// The schema the tables live in (created when missing); `nil` for the server's default
    /// search path (normally `public`). Letters, digits and `_` only.
    public var schema: String?

    /// Creates a configuration from its parts.
    public init(
        host: String, port: Int = 5432, username: String, password: String?, database: String, tls: TLSMode = .prefer,
        poolSize: Int = 10, schema: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.poolSize = poolSize
        self.schema = schema
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=…`.
    ///
    /// `sslmode` in the URL (`disable`, `prefer`, `require`; `verify-full` and `verify-ca`
    /// mean `require`) overrides `tls`. User name and password may be percent-encoded.
    /// - Throws: ``PostgresConfigurationError`` naming what is wrong, the password never shown.
    public init(url: String, tls: TLSMode? = nil, poolSize: Int = 10, schema: String? = nil) throws(PostgresConfigurationError) {
        let redacted = Self.redact(url)
        guard let components = URLComponents(string: url) else {
            throw PostgresConfigurationError("store URL \(redacted) is not a URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresConfigurationError("store URL \(redacted) must start with postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresConfigurationError("store URL \(redacted) names no host")
        }
        guard let user = components.user?.removingPercentEncoding ?? components.user, !user.isEmpty else {
            throw PostgresConfigurationError("store URL \(redacted) names no user (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresConfigurationError("store URL \(redacted) names no database (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw PostgresConfigurationError("store URL \(redacted) has an invalid port")
        }
        guard poolSize >= 1, poolSize <= 1000 else {
            throw PostgresConfigurationError("store pool size must be 1 to 1000, not \(poolSize)")
        }
        if let schema {
            guard !schema.isEmpty, schema.count <= 63,
                schema.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }),
                !("0"..."9").contains(schema.unicodeScalars.first!)
            else {
                throw PostgresConfigurationError("store schema must be 1 to 63 letters, digits and _, not starting with a digit")
            }
        }
        var mode = tls ?? .prefer
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            switch item.value ?? "" {
            case "disable": mode = .disable
            case "allow", "prefer": mode = .prefer
            case "require", "verify-ca", "verify-full": mode = .require
            default:
                throw PostgresConfigurationError("store URL \(redacted): sslmode must be disable, prefer or require")
            }
        }
        self.init(
            host: host, port: port, username: user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 }, database: database.removingPercentEncoding ?? database,
            tls: mode, poolSize: poolSize, schema: schema)
    }

    /// The URL with the password replaced by `***`: the only form that logs and errors show.
    public var redactedURL: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }

    /// `url` with any password replaced by `***`, even when the rest does not parse.
    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else {
            // Not a URL: show nothing of it past a colon, where a password could be.
            return url.contains(":") || url.contains("@") ? "(unparsable URL)" : url
        }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return url }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<schemeEnd.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }
}
