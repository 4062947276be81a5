import Foundation
import SwitchboardCore

extension SecretSealer {
    /// A sealer with the tests' fixed master key, so that a reopened store can be read.
    static var testing: SecretSealer {
        // 32 bytes is a valid key.
        SecretSealer(keyring: MasterKeyring(current: try! MasterKey(bytes: Data(repeating: 7, count: 32))), origin: "the tests' key")
    }
}
