import Foundation
import SwitchboardCore

/// How the client reads and writes the API's JSON (see ``WireJSON``).
enum WireDecoding {
    static func decoder() -> JSONDecoder { WireJSON.decoder() }
    static func encoder() -> JSONEncoder { WireJSON.encoder() }
}

/// The API's error body: `{"error": {"code": …, "message": …}}`.
struct ErrorWire: Decodable {
    struct Body: Decodable {
        var code: String?
        var message: String?
    }

    var error: Body?
}
