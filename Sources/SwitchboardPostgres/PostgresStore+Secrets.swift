import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Opens one sealed value per key id found in the database, so that a missing or wrong
    /// master key stops the start with a clear error instead of failing signatures later.
    func checkSealedSecrets() async throws {
        let rows = try await rows(
            """
            SELECT secret AS value FROM endpoints UNION ALL SELECT previous_secret FROM endpoints WHERE previous_secret IS NOT NULL
            UNION ALL SELECT headers FROM endpoints UNION ALL SELECT signing_secret FROM sources
            UNION ALL SELECT previous_signing_secret FROM sources WHERE previous_signing_secret IS NOT NULL
            """)
        var samples: [String: String] = [:]
        for row in rows {
            let value = try row.decode(String.self)
            guard value.hasPrefix("sb1:") else { continue }
            let keyID = SecretSealer.keyID(of: value) ?? ""
            if samples[keyID] == nil { samples[keyID] = value }
        }
        for keyID in samples.keys.sorted() {
            do {
                _ = try sealer.unseal(samples[keyID] ?? "")
            } catch {
                throw StoreError.unavailable("cannot open the secrets in \(configuration.redactedURL): \(error)")
            }
        }
    }
}
