import Configuration
import Foundation
import Logging
import SwitchboardCore
import SwitchboardPostgres
import SystemPackage

/// Everything the binary reads from its configuration, resolved once at start.
///
/// Precedence: command-line flags, then `SWITCHBOARD_*` environment variables, then the
/// YAML file, then the defaults below. Each key is documented in `config/switchboard.yaml`.
struct AppSettings: Sendable {
    var host: String
    var port: Int
    var publicBaseURL: String?
    var dataDirectory: String
    var synchronousFull: Bool
    /// `store.*` of a shared PostgreSQL store; `nil` for SQLite in the data directory.
    var postgres: PostgresSettings?
    var logLevel: Logger.Level
    var dispatcher: DispatcherConfiguration
    var retention: RetentionConfiguration
    /// `dev` / `--dev` / `SWITCHBOARD_DEV=1`: loopback, private networks and plain http allowed.
    var dev: Bool
    /// `SWITCHBOARD_MASTER_KEY`: the base64 of the 32-byte master key, when given that way.
    var masterKeyFromEnvironment: Secret?
    /// `secrets.master_key_file`: the master key file chosen by the operator; `nil` for
    /// `<data dir>/master.key`, created on first start.
    var masterKeyFile: String?
    /// `api.*`: rate limits, connection timeouts and stream caps of the HTTP API.
    var api = APILimitSettings()

    /// The `api.*` keys, each documented in `config/switchboard.yaml`.
    struct APILimitSettings: Sendable {
        /// `api.rate_limit_per_second` (default 100; 0 = off): writes per API key per second.
        var writesPerSecond: Double = 100
        /// `api.rate_limit_burst` (default 200): writes per API key at once.
        var writeBurst = 200
        /// `api.auth_failures_per_second` (default 1; 0 = off): failed authentications per client address.
        var authFailuresPerSecond: Double = 1
        /// `api.auth_failure_burst` (default 20).
        var authFailureBurst = 20
        /// `api.idle_timeout_seconds` (default 30): idle or stalled connections are closed.
        var idleTimeout: Double = 30
        /// `api.request_timeout_seconds` (default 60): most time from a request head to its body's end.
        var requestTimeout: Double = 60
        /// `api.max_header_bytes` (default 32768): larger request heads get 431.
        var maxHeaderBytes = 32 * 1024
        /// `api.max_streams_per_key` (default 4): open /v1/stream responses per API key.
        var maxStreamsPerKey = 4
    }

    /// The `store.url`, `store.tls`, `store.pool_size` and `store.notify` keys, when `store.url`
    /// names a PostgreSQL database.
    struct PostgresSettings: Sendable {
        /// The parsed URL with the TLS mode and pool size; its password is never shown.
        var configuration: PostgresStoreConfiguration
        /// `store.notify` (default true): LISTEN/NOTIFY wake-ups; false behind a transaction-pooling proxy.
        var notify: Bool
    }

    var databasePath: String { (dataDirectory as NSString).appendingPathComponent("switchboard.sqlite") }
    /// The store as logs and the console name it: the SQLite file, or the redacted PostgreSQL URL.
    var storeDescription: String {
        if let postgres { return "postgres \(postgres.configuration.redactedURL)" }
        return "sqlite \(databasePath)"
    }
    /// The key file in use when the key does not come from `SWITCHBOARD_MASTER_KEY`.
    var resolvedMasterKeyFile: String { masterKeyFile ?? (dataDirectory as NSString).appendingPathComponent("master.key") }
    var listenAddress: String { "\(host):\(port)" }

    /// Reads the settings; throws a message naming the bad key.
    static func load(_ options: GlobalOptions, overrides: [AbsoluteConfigKey: ConfigValue] = [:]) async throws -> AppSettings {
        var flags = overrides
        if let host = options.host { flags["http.host"] = .init(.string(host), isSecret: false) }
        if let port = options.port { flags["http.port"] = .init(.int(port), isSecret: false) }
        if let url = options.publicURL { flags["http.public_base_url"] = .init(.string(url), isSecret: false) }
        if let directory = options.dataDirectory { flags["data.dir"] = .init(.string(directory), isSecret: false) }
        if let level = options.logLevel { flags["log.level"] = .init(.string(level), isSecret: false) }
        if options.dev { flags["dev"] = .init(.string("true"), isSecret: false) }
        if let url = options.storeURL { flags["store.url"] = .init(.string(url), isSecret: true) }
        let filePath = options.configFile ?? "config/switchboard.yaml"
        if options.configFile != nil, !FileManager.default.fileExists(atPath: filePath) {
            throw SettingsError("configuration file \(filePath) does not exist")
        }
        let file: FileProvider<YAMLSnapshot>
        do {
            file = try await FileProvider<YAMLSnapshot>(filePath: FilePath(filePath), allowMissing: true)
        } catch {
            throw SettingsError("cannot read \(filePath): \(error)")
        }
        let environment = KeyMappingProvider(upstream: EnvironmentVariablesProvider()) { $0.prepending(["switchboard"]) }
        let config = ConfigReader(providers: [InMemoryProvider(name: "flags", values: flags), environment, file])
        var settings = try AppSettings(config)
        if let key = ProcessInfo.processInfo.environment["SWITCHBOARD_MASTER_KEY"], !key.isEmpty {
            settings.masterKeyFromEnvironment = Secret(key)
        }
        return settings
    }

    init(_ config: ConfigReader) throws {
        host = config.string(forKey: "http.host", default: "127.0.0.1")
        port = config.int(forKey: "http.port", default: 8080)
        guard (0...65535).contains(port) else { throw SettingsError("http.port must be between 0 and 65535") }
        publicBaseURL = config.string(forKey: "http.public_base_url")
        if let publicBaseURL {
            guard let components = URLComponents(string: publicBaseURL), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                components.host?.isEmpty == false, components.query == nil
            else { throw SettingsError("http.public_base_url must be an http:// or https:// URL such as https://hooks.example.com") }
        }
        dataDirectory = config.string(forKey: "data.dir", default: ".switchboard")
        let synchronous = config.string(forKey: "store.synchronous", default: "full")
        guard ["full", "normal"].contains(synchronous) else { throw SettingsError("store.synchronous must be full or normal") }
        synchronousFull = synchronous == "full"
        if let url = config.string(forKey: "store.url", isSecret: true), !url.isEmpty {
            let tlsName = config.string(forKey: "store.tls", default: "prefer")
            guard let tls = PostgresStoreConfiguration.TLSMode(rawValue: tlsName) else {
                throw SettingsError("store.tls must be disable, prefer or require")
            }
            let poolSize = config.int(forKey: "store.pool_size", default: 10)
            let notify = config.string(forKey: "store.notify", default: "true").lowercased()
            guard ["1", "true", "yes", "on", "0", "false", "no", "off"].contains(notify) else {
                throw SettingsError("store.notify must be true or false")
            }
            do {
                postgres = PostgresSettings(
                    configuration: try PostgresStoreConfiguration(url: url, tls: tls, poolSize: poolSize),
                    notify: ["1", "true", "yes", "on"].contains(notify))
            } catch {
                throw SettingsError("store.url: \(error)")
            }
        }
        let level = config.string(forKey: "log.level", default: "info")
        guard let parsedLevel = Logger.Level(rawValue: level) else {
            throw SettingsError("log.level must be one of trace, debug, info, notice, warning, error, critical")
        }
        logLevel = parsedLevel

        let defaults = DispatcherConfiguration()
        let schedule = config.doubleArray(forKey: "delivery.retry_schedule_seconds", default: RetryPolicy.defaultSchedule)
        guard !schedule.isEmpty, schedule.allSatisfy({ $0 >= 0 }) else {
            throw SettingsError("delivery.retry_schedule_seconds must be a non-empty list of delays of 0 or more seconds")
        }
        let jitter = config.double(forKey: "delivery.jitter", default: 0.2)
        guard (0...1).contains(jitter) else { throw SettingsError("delivery.jitter must be between 0 and 1") }
        dispatcher = DispatcherConfiguration(
            retryPolicy: RetryPolicy(
                schedule: schedule, jitter: jitter,
                retryAfterMinimum: config.double(forKey: "delivery.retry_after_min_seconds", default: 1),
                retryAfterMaximum: config.double(forKey: "delivery.retry_after_max_seconds")),
            connectTimeout: try Self.positive(config, "delivery.connect_timeout_seconds", defaults.connectTimeout),
            requestTimeout: try Self.positive(config, "delivery.request_timeout_seconds", defaults.requestTimeout),
            maxConcurrency: Int(try Self.positive(config, "delivery.max_concurrency", Double(defaults.maxConcurrency))),
            endpointConcurrency: Int(try Self.positive(config, "delivery.endpoint_concurrency", Double(defaults.endpointConcurrency))),
            claimBatchSize: Int(try Self.positive(config, "delivery.claim_batch_size", Double(defaults.claimBatchSize))),
            pollInterval: try Self.positive(config, "delivery.poll_interval_ms", defaults.pollInterval * 1000) / 1000,
            drainTimeout: try Self.positive(config, "delivery.drain_timeout_seconds", defaults.drainTimeout),
            autoDisableAfter: try Self.positive(config, "delivery.auto_disable_after_hours", defaults.autoDisableAfter / 3600) * 3600,
            idempotencyWindow: try Self.positive(config, "events.idempotency_window_hours", defaults.idempotencyWindow / 3600) * 3600,
            maxPayloadBytes: Int(try Self.positive(config, "events.max_payload_bytes", Double(defaults.maxPayloadBytes))),
            publishBatchSize: Int(try Self.positive(config, "events.publish_batch_size", Double(defaults.publishBatchSize))))
        let retentionDays = config.int(forKey: "retention.days", default: 30)
        guard (1...SourceValidation.maxRetentionDays).contains(retentionDays) else {
            throw SettingsError("retention.days must be between 1 and \(SourceValidation.maxRetentionDays)")
        }
        let devSwitch = config.string(forKey: "dev", default: "false").lowercased()
        guard ["1", "true", "yes", "on", "0", "false", "no", "off"].contains(devSwitch) else {
            throw SettingsError("dev must be true or false (SWITCHBOARD_DEV=1 turns it on)")
        }
        dev = ["1", "true", "yes", "on"].contains(devSwitch)
        var allowedNetworks: [IPNetwork] = []
        for cidr in config.stringArray(forKey: "delivery.allowed_networks", default: []) {
            guard let network = IPNetwork(cidr.trimmingCharacters(in: .whitespaces)) else {
                throw SettingsError("delivery.allowed_networks: \(cidr) is not a CIDR block such as 10.8.0.0/16 or fd00::/8")
            }
            allowedNetworks.append(network)
        }
        let policy = dev
            ? DestinationPolicy.development
            : DestinationPolicy(network: NetworkPolicy(allowedNetworks: allowedNetworks))
        dispatcher.destinations = policy.refusingDeliveries(
            to: [publicBaseURL, "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"].compactMap { $0 })
        masterKeyFile = config.string(forKey: "secrets.master_key_file").flatMap { $0.isEmpty ? nil : $0 }
        retention = RetentionConfiguration(
            days: retentionDays, interval: try Self.positive(config, "retention.interval_seconds", 3600),
            batchSize: Int(try Self.positive(config, "retention.batch_size", 500)))
        api.writesPerSecond = config.double(forKey: "api.rate_limit_per_second", default: api.writesPerSecond)
        api.authFailuresPerSecond = config.double(forKey: "api.auth_failures_per_second", default: api.authFailuresPerSecond)
        guard api.writesPerSecond >= 0, api.authFailuresPerSecond >= 0 else {
            throw SettingsError("api.rate_limit_per_second and api.auth_failures_per_second must be 0 (off) or more")
        }
        api.writeBurst = Int(try Self.positive(config, "api.rate_limit_burst", Double(api.writeBurst)))
        api.authFailureBurst = Int(try Self.positive(config, "api.auth_failure_burst", Double(api.authFailureBurst)))
        api.idleTimeout = try Self.positive(config, "api.idle_timeout_seconds", api.idleTimeout)
        api.requestTimeout = try Self.positive(config, "api.request_timeout_seconds", api.requestTimeout)
        api.maxHeaderBytes = Int(try Self.positive(config, "api.max_header_bytes", Double(api.maxHeaderBytes)))
        api.maxStreamsPerKey = Int(try Self.positive(config, "api.max_streams_per_key", Double(api.maxStreamsPerKey)))
    }

    private static func positive(_ config: ConfigReader, _ key: String, _ fallback: Double) throws -> Double {
        let value = config.double(forKey: ConfigKey(key), default: fallback)
        guard value > 0, value.isFinite else { throw SettingsError("\(key) must be a number greater than 0") }
        return value
    }
}

/// A configuration problem, worded for the person who made it.
struct SettingsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
