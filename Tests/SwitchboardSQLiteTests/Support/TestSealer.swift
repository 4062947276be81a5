import Foundation
import Logging
import SwitchboardCore
import SwitchboardSQLite

extension SecretSealer {
    /// A sealer with the tests' fixed master key, so that a reopened file can be read.
    static var testing: SecretSealer {
        // 32 bytes is a valid key.
        SecretSealer(keyring: MasterKeyring(current: try! MasterKey(bytes: Data(repeating: 7, count: 32))), origin: "the tests' key")
    }
}

extension SQLiteStore {
    /// A store whose secrets are sealed with ``SecretSealer/testing``.
    convenience init(
        path: String, synchronous: SynchronousMode = .full, busyTimeout: TimeInterval = 10, logger: Logger
    ) throws {
        try self.init(path: path, synchronous: synchronous, busyTimeout: busyTimeout, sealer: .testing, logger: logger)
    }
}
