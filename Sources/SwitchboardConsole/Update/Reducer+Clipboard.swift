import SwitchboardCore

/// `y`: copy the selected id, or from a detail view a ready `curl` command, through OSC 52.
extension Reducer {
    static func copySelection(_ state: inout ConsoleState) -> [Effect] {
        let text: String
        let what: String
        if let detail = state.detail {
            text = curlCommand(for: detail.target, state)
            what = "a curl command for the API"
        } else if let id = state.rowID(state.focus, at: state.cursor(state.focus).selection) {
            text = id
            what = id
        } else {
            flash("Nothing selected to copy", .info, &state)
            return []
        }
        flash("Copied \(what) to the clipboard (OSC 52)", .success, &state)
        return [.copy(text)]
    }

    /// The API's base URL: the public URL when set, else the listen address.
    static func apiBaseURL(_ state: ConsoleState) -> String {
        if !state.ingestBaseURL.isEmpty { return state.ingestBaseURL }
        if state.listenAddress.isEmpty { return "http://127.0.0.1:8080" }
        return state.listenAddress.hasPrefix("http") ? state.listenAddress : "http://" + state.listenAddress
    }

    /// A `curl` that shows what the detail view shows, with the key from the environment.
    static func curlCommand(for target: DetailTarget, _ state: ConsoleState) -> String {
        let path: String
        switch target {
        case .event(let event): path = "/v1/events/\(event.id)"
        case .delivery(let id, _): path = "/v1/deliveries/\(id)"
        case .attempt(let id, _):
            let delivery = state.inspectedDetail?.attempts.first { $0.id == id }?.deliveryID
            path = delivery.map { "/v1/deliveries/\($0)/attempts" } ?? "/v1/events/\(target.event?.id ?? "")"
        case .endpoint(let id): path = "/v1/endpoints/\(id)"
        case .source(let id): path = "/v1/sources/\(id)"
        }
        return "curl -s '\(apiBaseURL(state))\(path)' -H \"Authorization: Bearer $SWITCHBOARD_API_KEY\""
    }
}
