import Foundation
import Testing
import SwitchboardSQLite

@Suite("One dispatcher per data directory")
struct DispatchLockTests {
    static func databasePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-lock-\(UUID().uuidString)/switchboard.sqlite").path
    }

    @Test("a second dispatcher is refused with a message naming the holder's pid and API; the lock is free once released")
    func secondDispatcherRefused() throws {
        let path = Self.databasePath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var first: DispatchLock? = try DispatchLock.acquire(forDatabaseAt: path, holder: .init(apiURL: "http://127.0.0.1:8080"))
        #expect(first != nil)
        let refusal = #expect(throws: DispatchLock.Refusal.self) {
            _ = try DispatchLock.acquire(forDatabaseAt: path, holder: .init(apiURL: "http://127.0.0.1:9090"))
        }
        #expect(refusal?.holder?.pid == getpid())
        #expect(refusal?.description.contains("switchboard pid \(getpid())") == true)
        #expect(refusal?.description.contains("http://127.0.0.1:8080") == true)
        #expect(DispatchLock.currentHolder(forDatabaseAt: path)?.apiURL == "http://127.0.0.1:8080")

        first = nil
        #expect(DispatchLock.currentHolder(forDatabaseAt: path) == nil)
        let second = try DispatchLock.acquire(forDatabaseAt: path, holder: .init(apiURL: "http://127.0.0.1:9090"))
        #expect(DispatchLock.currentHolder(forDatabaseAt: path)?.apiURL == "http://127.0.0.1:9090")
        _ = second
    }

    @Test("the lock file is private to its owner")
    func lockFileMode() throws {
        let path = Self.databasePath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let lock = try DispatchLock.acquire(forDatabaseAt: path, holder: .init(apiURL: nil))
        let mode = try FileManager.default.attributesOfItem(atPath: lock.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
