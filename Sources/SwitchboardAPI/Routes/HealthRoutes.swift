import Hummingbird
import SwitchboardCore

/// `GET /healthz` (no key): 200 `{"status":"ok","store":"ok"}`, or 503 with
/// `"store":"unavailable"` when the store cannot serve queries.
struct HealthRoutes {
    let switchboard: Switchboard

    func register(on router: Router<SwitchboardRequestContext>) {
        router.get("healthz") { _, context in
            do {
                try await switchboard.checkHealth()
                return JSONCoding.response(.ok, HealthDTO(status: "ok", store: "ok"))
            } catch {
                context.logger.warning("store health check failed", metadata: ["error_type": "\(type(of: error))"])
                return JSONCoding.response(.serviceUnavailable, HealthDTO(status: "unavailable", store: "unavailable"))
            }
        }
    }

    struct HealthDTO: Encodable {
        var status: String
        var store: String
    }
}
