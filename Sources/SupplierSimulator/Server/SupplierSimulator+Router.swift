import Basics
import Foundation
import Hummingbird

extension SupplierSimulator {
    /// The simulator's routes: handler_api, 5sim under `/v1`, and the audit under `/sim`.
    func makeRouter() -> Router<SimulatorRequestContext> {
        let router = Router(context: SimulatorRequestContext.self)
        router.add(middleware: TraceRecorder(simulator: self))
        let handlerAPI = HandlerAPIResponder(simulator: self)
        let fiveSim = FiveSimResponder(simulator: self)

        router.get("/stubs/handler_api.php") { request, context in
            await handlerAPI.respond(Self.parameters(request.uri.queryParameters), context: context)
        }
        router.post("/stubs/handler_api.php") { request, context in
            var parameters = Self.parameters(request.uri.queryParameters)
            let body = try await request.body.collect(upTo: 64 * 1024)
            parameters.merge(Self.form(String(buffer: body))) { query, _ in query }
            return await handlerAPI.respond(parameters, context: context)
        }

        func route(_ path: RouterPath, _ call: @escaping @Sendable (Request, SimulatorRequestContext) -> FiveSimResponder.Call) {
            router.get(path) { request, context in
                await fiveSim.respond(call(request, context), authorization: request.headers[.authorization], context: context)
            }
        }
        route("/v1/user/buy/activation/:country/:operator/:product") { request, context in
            let query = request.uri.queryParameters
            return .buy(
                country: context.parameters.get("country") ?? "",
                operator: context.parameters.get("operator") ?? "any",
                product: context.parameters.get("product") ?? "",
                maxPrice: query.get("maxPrice").flatMap { Decimal(written: $0) },
                reference: query.get("ref")
            )
        }
        route("/v1/user/check/:id") { .check($1.parameters.get("id", as: Int.self)) }
        route("/v1/user/finish/:id") { .finish($1.parameters.get("id", as: Int.self)) }
        route("/v1/user/cancel/:id") { .cancel($1.parameters.get("id", as: Int.self)) }
        route("/v1/user/ban/:id") { .ban($1.parameters.get("id", as: Int.self)) }
        route("/v1/user/profile") { _, _ in .profile }
        route("/v1/user/orders") { request, _ in
            let query = request.uri.queryParameters
            return .orders(limit: query.get("limit", as: Int.self) ?? 15, offset: query.get("offset", as: Int.self) ?? 0)
        }
        route("/v1/guest/prices") { request, _ in
            .prices(country: request.uri.queryParameters.get("country"), product: request.uri.queryParameters.get("product"))
        }
        route("/v1/guest/products/:country/:operator") { .products(country: $1.parameters.get("country") ?? "") }
        route("/v1/guest/countries") { _, _ in .countries }

        router.get("/sim/audit") { _, _ in SimulatorReply.encoded(self.audit()) }
        router.get("/sim/audit/activations") { _, _ in SimulatorReply.encoded(ActivationAuditList(activations: self.activations())) }
        router.get("/sim/audit/activations/:id") { _, context in
            guard let audit = self.activation(context.parameters.get("id") ?? "") else {
                return SimulatorReply.text("no such activation", status: .notFound)
            }
            return SimulatorReply.encoded(audit)
        }
        router.get("/sim/audit/references/:reference") { _, context in
            SimulatorReply.encoded(self.reference(context.parameters.get("reference") ?? ""))
        }
        router.get("/sim/health") { _, _ in SimulatorReply.text("ok") }
        return router
    }

    /// Query parameters as a plain dictionary; the first value of a repeated name wins.
    private static func parameters<Query: Sequence>(_ query: Query) -> [String: String]
    where Query.Element == (key: Substring, value: Substring) {
        var parameters: [String: String] = [:]
        for (name, value) in query where parameters[String(name)] == nil {
            parameters[String(name)] = String(value)
        }
        return parameters
    }

    /// An `application/x-www-form-urlencoded` body as a dictionary.
    private static func form(_ body: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            guard let name = parts.first else { continue }
            parameters[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return parameters
    }
}
