import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

@Suite("Secrets sealed at rest")
struct SealedSecretsTests {
    static let endpointSecret = "whsec_endpoint-current-5f0c2a"
    static let previousEndpointSecret = "whsec_endpoint-previous-91d3b7"
    static let headerToken = "tok_header-value-3e8a61"
    static let sourceSecret = "whsec_source-current-c47d09"
    static let previousSourceSecret = "whsec_source-previous-8b2f55"
    static var plaintexts: [String] { [endpointSecret, previousEndpointSecret, headerToken, sourceSecret, previousSourceSecret] }

    static func endpoint() -> Endpoint {
        var endpoint = StoreFixture.makeEndpoint("sealed")
        endpoint.secret = Secret(endpointSecret)
        endpoint.previousSecret = Secret(previousEndpointSecret)
        endpoint.previousSecretExpiresAt = StoreFixture.at(3600)
        endpoint.headers = ["X-Api-Token": headerToken]
        return endpoint
    }

    static func source() -> Source {
        Source(
            id: Identifier.make(.source), tenantID: StoreFixture.tenant, name: "stripe", provider: .stripe,
            signingSecret: Secret(sourceSecret), previousSigningSecret: Secret(previousSourceSecret),
            previousSecretExpiresAt: StoreFixture.at(3600), slug: Source.makeSlug(), createdAt: StoreFixture.t0,
            updatedAt: StoreFixture.t0)
    }

    /// The raw text of every sealed column.
    static func rawSecrets(_ pool: some DatabaseReader) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT secret FROM endpoints UNION ALL SELECT previous_secret FROM endpoints UNION ALL SELECT headers FROM endpoints")
                + String.fetchAll(db, sql: "SELECT signing_secret FROM sources UNION ALL SELECT previous_signing_secret FROM sources")
        }
    }

    /// The plaintexts found in the bytes of the database file or its WAL.
    static func leaked(_ plaintexts: [String], in path: String) throws -> [String] {
        var files = [try Data(contentsOf: URL(fileURLWithPath: path))]
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: path + "-wal")) { files.append(wal) }
        return plaintexts.filter { secret in files.contains { $0.range(of: Data(secret.utf8)) != nil } }
    }

    static func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test("secrets and header values are sealed in the file, read back whole, and appear in neither the file nor its WAL")
    func sealedInTheFile() async throws {
        try await StoreFixture.with { fixture in
            let endpoint = Self.endpoint()
            let source = Self.source()
            try await fixture.store.insertEndpoint(endpoint)
            try await fixture.store.insertSource(source)
            #expect(try await fixture.store.endpoint(id: endpoint.id, tenant: endpoint.tenantID) == endpoint)
            #expect(try await fixture.store.source(id: source.id, tenant: source.tenantID)?.previousSigningSecret == source.previousSigningSecret)

            let raw = try await Self.rawSecrets(fixture.store.pool)
            #expect(raw.count == 5)
            #expect(raw.allSatisfy { SecretSealer.keyID(of: $0) == SecretSealer.testing.keyring.current.id })
            #expect(try Self.leaked(Self.plaintexts + ["X-Api-Token"], in: fixture.path).isEmpty)
        }
    }

    @Test("the database directory is created 0700 and the database and WAL files 0600")
    func fileModes() async throws {
        try await StoreFixture.with { fixture in
            try await fixture.endpoint()
            #expect(try Self.mode((fixture.path as NSString).deletingLastPathComponent) == 0o700)
            #expect(try Self.mode(fixture.path) == 0o600)
            #expect(try Self.mode(fixture.path + "-wal") == 0o600)
            #expect(try Self.mode(fixture.path + "-shm") == 0o600)
        }
    }

    @Test("a database with plaintext secrets (before sealing) is upgraded in place: readable, sealed, no plaintext left in its bytes")
    func upgradesPlaintext() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-sqlite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.sqlite").path
        let overwritten = "whsec_overwritten-before-upgrade-77aa"
        do {
            let old = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(old)
            try await old.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO endpoints (id, tenant_id, name, url, description, event_types, auth_mode, secret, previous_secret,
                        previous_secret_expires_at, enabled, max_concurrency, headers, source_ids, created_at, updated_at)
                        VALUES ('ep_old', 'acme', 'old', 'https://example.com/old', '', '[]', 'signature', ?, ?, 1800003600, 1, 4, ?, '[]',
                        1800000000, 1800000000)
                        """,
                    arguments: [overwritten, Self.previousEndpointSecret, #"{"X-Api-Token":"\#(Self.headerToken)"}"#])
                try db.execute(sql: "UPDATE endpoints SET secret = ? WHERE id = 'ep_old'", arguments: [Self.endpointSecret])
                try db.execute(
                    sql: """
                        INSERT INTO sources (id, tenant_id, name, provider, signing_secret, previous_signing_secret, slug, hmac_options,
                        created_at, updated_at)
                        VALUES ('src_old', 'acme', 'stripe', 'stripe', ?, ?, 'in_old', '{}', 1800000000, 1800000000)
                        """,
                    arguments: [Self.sourceSecret, Self.previousSourceSecret])
                // An attempt recorded with the header value, as older versions did.
                try db.execute(
                    sql: """
                        INSERT INTO events (id, tenant_id, event_type, payload, origin, status, created_at)
                        VALUES ('evt_old', 'acme', 'order.created', X'7B7D', 'api', 'DELIVERED', 1800000000);
                        INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, state, attempt_count, created_at, updated_at)
                        VALUES ('dlv_old', 'acme', 'evt_old', 'ep_old', 'succeeded', 1, 1800000000, 1800000000);
                        """)
                try db.execute(
                    sql: """
                        INSERT INTO attempts (id, tenant_id, delivery_id, event_id, endpoint_id, number, url, request_headers, status_code,
                        duration_ms, created_at)
                        VALUES ('att_old', 'acme', 'dlv_old', 'evt_old', 'ep_old', 1, 'https://example.com/old', ?, 200, 5, 1800000000)
                        """,
                    arguments: [#"{"webhook-id":"evt_old","x-api-token":"\#(Self.headerToken)"}"#])
            }
            try old.close()
        }
        #expect(try !Self.leaked(Self.plaintexts, in: path).isEmpty, "the old file holds plaintext")

        let store = try SQLiteStore(path: path, logger: StoreFixture.quietLogger)
        let endpoint = try #require(try await store.endpoint(id: "ep_old", tenant: "acme"))
        #expect(endpoint.secret.reveal() == Self.endpointSecret)
        #expect(endpoint.previousSecret?.reveal() == Self.previousEndpointSecret)
        #expect(endpoint.headers == ["X-Api-Token": Self.headerToken])
        let source = try #require(try await store.source(id: "src_old", tenant: "acme"))
        #expect(source.signingSecret.reveal() == Self.sourceSecret && source.previousSigningSecret?.reveal() == Self.previousSourceSecret)
        #expect(try await Self.rawSecrets(store.pool).allSatisfy(SecretSealer.isSealed))
        let attempt = try #require(try await store.attempts(deliveryID: "dlv_old", tenant: "acme").first)
        #expect(attempt.requestHeaders == ["webhook-id": "evt_old", "x-api-token": Endpoint.redactedHeaderValue])
        #expect(try Self.leaked(Self.plaintexts + [overwritten], in: path).isEmpty)
        #expect(try Self.mode(path) == 0o600)

        // Reopening finds nothing left to seal and reads the same values.
        let reopened = try SQLiteStore(path: path, logger: StoreFixture.quietLogger)
        #expect(try await reopened.endpoint(id: "ep_old", tenant: "acme") == endpoint)
    }

    @Test("a store opened with the wrong master key refuses to open, naming the key id expected and the one given")
    func wrongKey() async throws {
        try await StoreFixture.with { fixture in
            try await fixture.insert(Self.endpoint())
            let wrong = SecretSealer(keyring: MasterKeyring(current: .generate()), origin: "SWITCHBOARD_MASTER_KEY")
            let error = try #require(throws: StoreError.self) {
                try SQLiteStore(path: fixture.path, sealer: wrong, logger: StoreFixture.quietLogger)
            }
            #expect(error.isUnavailable)
            #expect(error.description.contains(SecretSealer.testing.keyring.current.id))
            #expect(error.description.contains(wrong.keyring.current.id))
            #expect(error.description.contains("SWITCHBOARD_MASTER_KEY"))
        }
    }

    @Test("rotating re-seals every value under the new key in one transaction; a reader with only the old key gets a clear error")
    func rotation() async throws {
        try await StoreFixture.with { fixture in
            let endpoint = try await fixture.insert(Self.endpoint())
            try await fixture.store.insertSource(Self.source())
            let rotated = SecretSealer.testing.keyring.rotated(to: .generate())

            let count = try await fixture.store.resealSecrets(under: rotated, publish: {})
            #expect(count == 5)
            #expect(try await Self.rawSecrets(fixture.store.pool).allSatisfy { SecretSealer.keyID(of: $0) == rotated.current.id })
            #expect(try await fixture.store.sealedSecretKeyIDs() == [rotated.current.id: 5])

            let newOnly = SecretSealer(keyring: MasterKeyring(current: rotated.current), origin: "test")
            let reader = try SQLiteStore(path: fixture.path, sealer: newOnly, logger: StoreFixture.quietLogger)
            #expect(try await reader.endpoint(id: endpoint.id, tenant: endpoint.tenantID) == endpoint)

            // The fixture's store knows only the old key, and cannot re-read a key file.
            let error = await #expect(throws: StoreError.self) { try await fixture.store.endpoints(tenant: nil) }
            #expect(error?.description.contains(rotated.current.id) == true)
            #expect(throws: StoreError.self) { try fixture.reopened() }
        }
    }

    @Test("when publishing the new keyring fails, rotation changes nothing")
    func rotationRollsBack() async throws {
        struct KeyFileUnwritable: Error {}
        try await StoreFixture.with { fixture in
            try await fixture.insert(Self.endpoint())
            let before = try await Self.rawSecrets(fixture.store.pool)
            await #expect(throws: KeyFileUnwritable.self) {
                try await fixture.store.resealSecrets(under: SecretSealer.testing.keyring.rotated(to: .generate())) { throw KeyFileUnwritable() }
            }
            #expect(try await Self.rawSecrets(fixture.store.pool) == before)
        }
    }

    @Test("a running store on the key file keeps reading and writing after another process rotates the key")
    func rotationWhileRunning() async throws {
        try await StoreFixture.with { fixture in
            let directory = (fixture.path as NSString).deletingLastPathComponent
            let file = MasterKeyFile(path: (directory as NSString).appendingPathComponent("master.key"))
            let running = try SQLiteStore(path: fixture.path + ".keyed", sealer: file.sealer(keyring: try file.create()), logger: StoreFixture.quietLogger)
            var endpoint = Self.endpoint()
            try await running.insertEndpoint(endpoint)

            // `switchboard secrets rotate-key`: its own store, its own read of the file.
            let previous = try file.read()
            let rotator = try SQLiteStore(path: fixture.path + ".keyed", sealer: file.sealer(keyring: previous), logger: StoreFixture.quietLogger)
            let rotated = previous.rotated(to: .generate())
            #expect(try await rotator.resealSecrets(under: rotated, publish: { try file.write(rotated) }) == 3)

            #expect(try await running.endpoint(id: endpoint.id, tenant: endpoint.tenantID) == endpoint)
            endpoint.secret = Secret("whsec_written-after-rotation")
            try await running.updateEndpoint(endpoint)
            #expect(try await running.sealedSecretKeyIDs() == [rotated.current.id: 3], "the running store seals under the new key")
        }
    }
}
