import Foundation
import GRDB
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

@Suite("Opening the database")
struct OpeningTests {
    @Test("a new file in a missing directory is created, in WAL mode with a 32 MiB checkpoint interval, with foreign keys and the whole schema")
    func createsAndMigrates() async throws {
        try await StoreFixture.with { fixture in
            #expect(FileManager.default.fileExists(atPath: fixture.path))
            try await fixture.store.checkHealth()
            let settings = try await fixture.store.pool.read { db in
                (
                    journal: try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                    checkpointPages: try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"),
                    foreignKeys: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"),
                    migrations: try SQLiteStore.migrator.appliedIdentifiers(db),
                    tables: try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                )
            }
            #expect(settings.journal == "wal")
            #expect(settings.synchronous == 2, "FULL is the default")
            #expect(settings.checkpointPages == 8_000, "a longer log than SQLite's 1,000 pages copies each hot page back less often")
            #expect(settings.foreignKeys == true)
            #expect(settings.migrations == ["v1-initial", "v2-sources", "v3-fenced-leases", "v4-search-indexes", "v5-attempt-node", "v6-covering-search", "v7-endpoint-indexes-by-state"])
            #expect(settings.tables.isSuperset(of: ["api_keys", "endpoints", "events", "deliveries", "attempts", "sources", "event_counts"]))
        }
    }

    @Test("synchronous = NORMAL when asked")
    func synchronousNormal() async throws {
        try await StoreFixture.with { fixture in
            let store = try SQLiteStore(path: fixture.path, synchronous: .normal, logger: StoreFixture.quietLogger)
            let synchronous = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(synchronous == 1)
        }
    }

    @Test("reopening a file keeps its rows and does not migrate twice")
    func reopening() async throws {
        try await StoreFixture.with { fixture in
            let endpoint = try await fixture.endpoint()
            let reopened = try fixture.reopened()
            #expect(try await reopened.endpoint(id: endpoint.id, tenant: endpoint.tenantID) == endpoint)
            let migrations = try await reopened.pool.read { db in try SQLiteStore.migrator.appliedIdentifiers(db) }
            #expect(migrations == ["v1-initial", "v2-sources", "v3-fenced-leases", "v4-search-indexes", "v5-attempt-node", "v6-covering-search", "v7-endpoint-indexes-by-state"])
        }
    }

    @Test("a database written by the first release (v1 schema) is upgraded in place and keeps its events")
    func upgradesFromV1() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-sqlite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(old, upTo: "v1-initial")
            try await old.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO events (id, tenant_id, event_type, payload, origin, status, created_at)
                        VALUES ('evt_old', 'default', 'order.created', X'7B7D', 'api', 'DELIVERED', 1800000000)
                        """)
            }
            try old.close()
        }
        let store = try SQLiteStore(path: path, logger: StoreFixture.quietLogger)
        let event = try #require(try await store.event(id: "evt_old", tenant: "default"))
        #expect(event.eventType == "order.created" && event.sourceHeaders.isEmpty)
        #expect(try await store.sources(tenant: nil).isEmpty)
        #expect(try await store.events(EventQuery(tenant: "default")).total == 1, "the kept counts start from the old rows")
    }

    @Test("a file that is not a database is refused with a clear error")
    func notADatabase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-sqlite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("notes.txt").path
        try Data(String(repeating: "these are not the pages you are looking for\n", count: 200).utf8)
            .write(to: URL(fileURLWithPath: path))

        let error = try #require(throws: StoreError.self) {
            try SQLiteStore(path: path, logger: StoreFixture.quietLogger)
        }
        #expect(error.isUnavailable)
        #expect(error.description.contains("not a database"))
        #expect(error.description.contains(path))
    }

    @Test("a directory that cannot be created is reported as unavailable")
    func directoryCannotBeCreated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-sqlite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)

        let error = try #require(throws: StoreError.self) {
            try SQLiteStore(path: file.appendingPathComponent("store.sqlite").path, logger: StoreFixture.quietLogger)
        }
        #expect(error.isUnavailable)
    }

    @Test("database failures become StoreError.unavailable without statement arguments")
    func failuresAreMapped() async throws {
        try await StoreFixture.with { fixture in
            let endpoint = try await fixture.endpoint()
            // Make the file read-only underneath the store, as a full or broken disk would refuse writes.
            try await fixture.store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
            var changed = endpoint
            changed.secret = Secret("whsec_do-not-print-me")
            let error = await #expect(throws: StoreError.self) { try await fixture.store.updateEndpoint(changed) }
            #expect(error?.isUnavailable == true)
            #expect(error?.description.contains("do-not-print-me") == false)
        }
    }
}
