import Hummingbird

/// `GET /openapi.yaml` (no key): the OpenAPI 3.1 description of this API, embedded in the
/// binary (``OpenAPIDocument``) so that it does not depend on the working directory.
struct OpenAPIRoutes {
    func register(on router: Router<SwitchboardRequestContext>) {
        router.get("openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
    }
}
