import ArgumentParser

/// Options every command that opens the data directory accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Address to listen on (http.host; default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (http.port; default 8080).")
    var port: Int?

    @Option(
        name: .customLong("public-url"),
        help: "Base of the public ingest URLs of sources, e.g. https://hooks.example.com (http.public_base_url; default http://<host>:<port>).")
    var publicURL: String?

    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite database and logs (data.dir; default ./.switchboard).")
    var dataDirectory: String?

    @Option(
        name: .customLong("store-url"),
        help: "PostgreSQL store shared by several nodes, postgres://USER:PASSWORD@HOST:PORT/DB (store.url; SWITCHBOARD_STORE_URL; default SQLite in the data directory).")
    var storeURL: String?

    @Option(name: .customLong("config"), help: "YAML configuration file (default config/switchboard.yaml when it exists).")
    var configFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (log.level; default info).")
    var logLevel: String?

    @Flag(
        name: .long,
        help: "Local development: deliveries may go to loopback, private networks and plain http:// (dev; SWITCHBOARD_DEV=1). Never in production.")
    var dev = false
}
