import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A key file on disk holding a ``MasterKeyring``, always mode 0600.
///
/// Writes replace the file atomically (a private temporary file renamed over it), so a reader,
/// such as a running server re-reading its keys, sees either the old keyring or the new one.
public struct MasterKeyFile: Sendable, Hashable, CustomStringConvertible {
    public let path: String

    public init(path: String) { self.path = path }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The keyring in the file.
    public func read() throws(SecretSealerError) -> MasterKeyring {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .invalidKeyring("cannot read \(path): \(Self.reason(error))")
        }
        do {
            return try MasterKeyring(fileText: text)
        } catch {
            throw .invalidKeyring("\(path): \(error.description.replacingOccurrences(of: "invalid master key file: ", with: ""))")
        }
    }

    /// Creates the file with a new key; fails when it already exists.
    public func create() throws(SecretSealerError) -> MasterKeyring {
        let keyring = MasterKeyring(current: MasterKey.generate())
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .invalidKeyring("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        try Self.write(keyring.revealFileText(), to: descriptor, path: path)
        return keyring
    }

    /// Replaces the file's contents with `keyring`, atomically.
    public func write(_ keyring: MasterKeyring) throws(SecretSealerError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .invalidKeyring("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        do {
            try Self.write(keyring.revealFileText(), to: descriptor, path: temporary)
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .invalidKeyring("cannot replace \(path): \(reason)")
        }
    }

    /// A sealer over this file's keyring that re-reads the file when keys change.
    ///
    /// - Parameter created: Whether the file was created just now, which errors then mention
    ///   (a database sealed before needs its own key file back, not a new one).
    public func sealer(keyring: MasterKeyring, created: Bool = false) -> SecretSealer {
        let file = self
        let origin = created ? "key file \(path), created just now because it was missing" : "key file \(path)"
        return SecretSealer(keyring: keyring, origin: origin, reload: { try file.read() })
    }

    public var description: String { path }

    private static func write(_ text: String, to descriptor: Int32, path: String) throws(SecretSealerError) {
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
        } catch {
            throw .invalidKeyring("cannot write \(path): \(reason(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
