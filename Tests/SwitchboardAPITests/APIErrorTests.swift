import HTTPTypes
import Hummingbird
@testable import SwitchboardAPI
import SwitchboardCore
import Testing

@Suite("Mapping errors to HTTP")
struct APIErrorTests {
    @Test(
        "each SwitchboardError kind maps to its status, keeping code and message",
        arguments: [
            (SwitchboardError.Kind.validation, HTTPResponse.Status.unprocessableContent), (.badRequest, .badRequest),
            (.notFound, .notFound), (.conflict, .conflict), (.tooLarge, .contentTooLarge), (.unavailable, .serviceUnavailable),
        ])
    func switchboardErrors(kind: SwitchboardError.Kind, status: HTTPResponse.Status) {
        let mapped = APIError(SwitchboardError(kind, code: "some_code", message: "some message"))
        #expect(mapped.status == status)
        #expect(mapped.code == "some_code")
        #expect(mapped.message == "some message")
    }

    @Test("store errors: not found 404, conflict 409, unavailable 503 without the store's reason")
    func storeErrors() {
        #expect(APIError(StoreError.notFound("endpoint ep_1")).status == .notFound)
        #expect(APIError(StoreError.conflict("endpoint ep_1")).status == .conflict)
        let unavailable = APIError(StoreError.unavailable("/var/lib/switchboard/db: disk I/O error"))
        #expect(unavailable.status == .serviceUnavailable)
        #expect(!unavailable.message.contains("/var/lib"))
    }

    @Test("framework errors keep their 4xx status; a body past its limit is 413 payload_too_large")
    func frameworkErrors() {
        #expect(APIError(HTTPError(.contentTooLarge)).code == "payload_too_large")
        #expect(APIError(HTTPError(.badRequest, message: "secret sbk_abc")).message == "Bad Request")
        #expect(APIError(HTTPError(.badGateway)).status == .internalServerError)
    }

    @Test("decoding failures are 400 invalid_json")
    func decodingErrors() {
        let error = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "bad"))
        #expect(APIError(error).status == .badRequest)
        #expect(APIError(error).code == "invalid_json")
    }

    @Test("anything unexpected is a generic 500 that reveals nothing of the error")
    func unexpected() {
        struct Leaky: Error, CustomStringConvertible { var description: String { "whsec_supersecret at /internal/path" } }
        let mapped = APIError(Leaky())
        #expect(mapped.status == .internalServerError)
        #expect(mapped.code == "internal_error")
        #expect(!mapped.message.contains("supersecret"))
        #expect(!mapped.message.contains("/internal"))
    }
}
