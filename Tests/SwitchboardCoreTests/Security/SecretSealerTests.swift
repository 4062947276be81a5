import Foundation
import Synchronization
import SwitchboardCore
import Testing

@Suite("Sealing secrets at rest")
struct SecretSealerTests {
    let key = MasterKey.generate()

    @Test("a sealed value is sb1:<key id>:…, differs every time, and opens to the plaintext")
    func roundTrip() throws {
        let sealer = SecretSealer(keyring: MasterKeyring(current: key), origin: "test")
        let first = try sealer.seal("whsec_round-trip")
        let second = try sealer.seal("whsec_round-trip")
        #expect(first.hasPrefix("sb1:\(key.id):"))
        #expect(first != second, "a random nonce per value")
        #expect(!first.contains("round-trip"))
        #expect(SecretSealer.keyID(of: first) == key.id)
        #expect(try sealer.unseal(first) == "whsec_round-trip")
        #expect(try sealer.unseal(second) == "whsec_round-trip")
        #expect(try sealer.unseal(try sealer.seal("")) == "")
    }

    @Test("legacy plaintext, without the prefix, reads as it is")
    func legacyPlaintext() throws {
        let sealer = SecretSealer(keyring: MasterKeyring(current: key), origin: "test")
        #expect(!SecretSealer.isSealed("whsec_legacy"))
        #expect(try sealer.unseal("whsec_legacy") == "whsec_legacy")
    }

    @Test("a value sealed under a key the keyring lacks throws unknownKey naming both key ids")
    func unknownKey() throws {
        let other = MasterKey.generate()
        let sealed = try SecretSealer.seal("whsec_x", with: other)
        let sealer = SecretSealer(keyring: MasterKeyring(current: key), origin: "SWITCHBOARD_MASTER_KEY")
        let error = try #require(throws: SecretSealerError.self) { try sealer.unseal(sealed) }
        #expect(error == .unknownKey(keyID: other.id, knownKeyIDs: [key.id], origin: "SWITCHBOARD_MASTER_KEY"))
        #expect(error.description.contains(other.id) && error.description.contains(key.id))
        #expect(error.description.contains("SWITCHBOARD_MASTER_KEY"))
    }

    @Test("a tampered ciphertext, or a swapped key id, fails authentication instead of giving garbage")
    func tampered() throws {
        let sealer = SecretSealer(keyring: MasterKeyring(current: key), origin: "test")
        let sealed = try sealer.seal("whsec_do-not-alter")
        let header = "sb1:\(key.id):"
        var bytes = try #require(Data(base64Encoded: String(sealed.dropFirst(header.count))))
        bytes[bytes.count / 2] ^= 0x01
        #expect(throws: SecretSealerError.tampered(keyID: key.id)) { try sealer.unseal(header + bytes.base64EncodedString()) }
        #expect(throws: SecretSealerError.malformed) { try sealer.unseal(header + "%%%") }
        #expect(throws: SecretSealerError.malformed) { try sealer.unseal("sb1:") }

        // The same ciphertext presented under another key of the keyring fails its tag.
        let older = MasterKey.generate()
        let both = SecretSealer(keyring: MasterKeyring(current: key, older: [older]), origin: "test")
        let relabelled = "sb1:\(older.id):" + sealed.dropFirst(header.count)
        #expect(throws: SecretSealerError.tampered(keyID: older.id)) { try both.unseal(relabelled) }
    }

    @Test("older keys of the keyring still open their values; new values use the current key")
    func keyring() throws {
        let old = MasterKey.generate()
        let sealedBefore = try SecretSealer.seal("whsec_before", with: old)
        let sealer = SecretSealer(keyring: MasterKeyring(current: old).rotated(to: key), origin: "test")
        #expect(try sealer.unseal(sealedBefore) == "whsec_before")
        #expect(SecretSealer.keyID(of: try sealer.seal("whsec_after")) == key.id)
    }

    @Test("an unknown key id makes a file-backed sealer re-read its keyring once, as after rotate-key")
    func reloadsOnUnknownKey() throws {
        let rotated = MasterKeyring(current: key).rotated(to: MasterKey.generate())
        let reloads = ReloadCount()
        let sealer = SecretSealer(keyring: MasterKeyring(current: key), origin: "test") {
            reloads.count.withLock { $0 += 1 }
            return rotated
        }
        let sealedUnderNew = try SecretSealer.seal("whsec_new", with: rotated.current)
        #expect(try sealer.unseal(sealedUnderNew) == "whsec_new")
        #expect(reloads.count.withLock { $0 } == 1)
        #expect(sealer.keyring.current.id == rotated.current.id)
    }

    @Test("master keys must be 32 bytes of base64; descriptions show only the key id")
    func keys() throws {
        #expect(throws: SecretSealerError.self) { try MasterKey(base64: "not base64!") }
        #expect(throws: SecretSealerError.self) { try MasterKey(base64: Data(repeating: 1, count: 16).base64EncodedString()) }
        let parsed = try MasterKey(base64: key.revealBase64() + "\n")
        #expect(parsed.id == key.id && key.id.count == 8)
        #expect(!"\(key)".contains(key.revealBase64()))
        #expect(!"\(MasterKeyring(current: key))".contains(key.revealBase64()))
    }

    @Test("a key file round-trips its keyring, current key first, and is created mode 0600")
    func keyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = MasterKeyFile(path: directory.appendingPathComponent("master.key").path)
        let created = try file.create()
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(try file.read().keyIDs == created.keyIDs)
        #expect(throws: SecretSealerError.self) { try file.create() }

        let rotated = created.rotated(to: key)
        try file.write(rotated)
        #expect(try file.read().keyIDs == [key.id, created.current.id])
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)

        // A one-line file as `openssl rand -base64 32` makes it is a keyring too.
        try Data((key.revealBase64() + "\n").utf8).write(to: URL(fileURLWithPath: file.path))
        #expect(try file.read().keyIDs == [key.id])
        try Data("# nothing\n".utf8).write(to: URL(fileURLWithPath: file.path))
        #expect(throws: SecretSealerError.self) { try file.read() }
    }
}

/// How often a sealer re-read its keyring.
private final class ReloadCount: Sendable {
    let count = Mutex(0)
}
