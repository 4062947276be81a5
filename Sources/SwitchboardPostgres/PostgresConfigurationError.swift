/// A store URL or setting that cannot be used; the message never contains the password.
public struct PostgresConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}
