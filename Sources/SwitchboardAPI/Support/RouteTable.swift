import Hummingbird
import Synchronization

/// The routes the router serves, so that a request for a known path with another method
/// is answered 405 (with `Allow`) instead of 404.
///
/// Hummingbird answers both "no such path" and "no such method" with its not-found
/// responder; ``ErrorMiddleware`` asks this table which of the two it was.
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: HTTPRequest.Method, path: RouterPath)]>([])

    /// Replaces the table with the router's routes, once they are all registered.
    func load(_ routes: [(method: HTTPRequest.Method, path: RouterPath)]) {
        self.routes.withLock { $0 = routes }
    }

    /// The methods served at `path`, sorted; empty when no route matches the path.
    func allowedMethods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let methods = routes.withLock { routes in
            routes.filter { route in
                route.path.count == segments.count && zip(route.path, segments).allSatisfy { element, segment in element ~= segment }
            }.map(\.method)
        }
        return Set(methods).sorted { $0.rawValue < $1.rawValue }
    }
}
