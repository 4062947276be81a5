/// The identifier of a tenant. Every resource belongs to exactly one tenant and every
/// query is scoped by the caller's tenant.
public typealias TenantID = String

extension TenantID {
    /// The tenant that the first admin key and the console use.
    public static let defaultTenant: TenantID = "default"
}
