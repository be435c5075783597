import Basics
import Foundation
import Hummingbird

/// Serves `/stubs/handler_api.php`: every action of SUPPLIERS.md §1, plain or in the variant forms.
struct HandlerAPIResponder: Sendable {
    let simulator: SupplierSimulator

    private static let actions: Set<String> = [
        "getBalance", "getNumber", "getNumberV2", "getStatus", "setStatus", "getActiveActivations", "getPrices",
        "getNumbersStatus",
    ]

    /// Answers one request, parameters taken from the query string and (for POST) the form body.
    ///
    /// Writes (getNumber, getNumberV2, setStatus) that took effect may lose their reply (``ReplyFault``);
    /// reads never do.
    func respond(_ parameters: [String: String], context: SimulatorRequestContext) async -> Response {
        let action = parameters["action"] ?? ""
        let key = parameters["api_key"]
        // Unknown actions are counted under one name so that garbage cannot grow the counters.
        let counted = Self.actions.contains(action) ? "handler_api.\(action)" : "handler_api.unknown"
        let admitted = self.simulator.state.withLock {
            $0.admit(key: key, action: counted, authenticated: true, now: .now)
        }
        var plan: RequestPlan
        switch admitted {
        case .success(let admittedPlan): plan = admittedPlan
        case .failure(let failure): return Self.render(failure, variant: self.simulator.configuration.variant)
        }
        if plan.latency > 0 { try? await Task.sleep(for: .seconds(plan.latency)) }
        let response = self.handle(action, parameters, key: key ?? "", plan: &plan)
        if plan.hang { try? await Task.sleep(for: .seconds(plan.hangSeconds)) }
        return await plan.fault.apply(to: response, context: context)
    }

    private func handle(_ action: String, _ parameters: [String: String], key: String, plan: inout RequestPlan) -> Response {
        let variant = plan.variant
        let id = parameters["id"].flatMap { Int($0) }
        switch action {
        case "getBalance":
            let balance = self.simulator.state.withLock { $0.balance(key) }
            return SimulatorReply.text("ACCESS_BALANCE:\(Cents.text(balance))")
        case "getNumber", "getNumberV2":
            let request = PurchaseRequest(
                key: key,
                service: parameters["service"] ?? "",
                country: parameters["country"] ?? "0",
                operator: parameters["operator"],
                maxPrice: parameters["maxPrice"].flatMap { Decimal(written: $0) },
                reference: parameters["ref"]
            )
            var purchaseHang = false
            var fault = ReplyFault.none
            let (result, clock, countries) = self.simulator.state.withLock { state in
                let result = state.purchase(request, now: state.clock.now(), hang: &purchaseHang)
                fault = state.replyFault(after: result, perOffer: true)
                return (result, state.clock, state.configuration.countries)
            }
            plan.hang = plan.hang || purchaseHang
            plan.fault = fault
            return self.render(result, variant: variant) { activation in
                action == "getNumber"
                    ? SimulatorReply.text("ACCESS_NUMBER:\(activation.id):\(activation.phone)")
                    : SimulatorReply.json(
                        HandlerAPIFormat.numberV2(activation, country: countries[activation.country], clock: clock, variant: variant)
                    )
            }
        case "getStatus":
            let result = self.simulator.state.withLock { state in state.activation(id, key: key, now: state.clock.now()) }
            return self.render(result, variant: variant) { SimulatorReply.text(HandlerAPIFormat.status($0, variant: variant)) }
        case "setStatus":
            let status = parameters["status"].flatMap { Int($0) } ?? -1
            var fault = ReplyFault.none
            let result = self.simulator.state.withLock { state in
                let result = state.setStatus(id, key: key, status: status, now: state.clock.now())
                fault = state.replyFault(after: result, perOffer: false)
                return result
            }
            plan.fault = fault
            let replies = [1: "ACCESS_READY", 3: "ACCESS_RETRY_GET", 6: "ACCESS_ACTIVATION", 8: "ACCESS_CANCEL"]
            return self.render(result, variant: variant) { _ in SimulatorReply.text(replies[status] ?? "BAD_STATUS") }
        case "getActiveActivations":
            let (list, catalogue) = self.simulator.state.withLock { state in
                (state.openActivations(key: key, now: state.clock.now()), state.snapshot())
            }
            if list.isEmpty {
                return variant ? SimulatorReply.json(#"{"status":"error","error":"NO_ACTIVATIONS"}"#) : SimulatorReply.text("NO_ACTIVATIONS")
            }
            return SimulatorReply.json(HandlerAPIFormat.activeActivations(list, catalogue: catalogue, variant: variant))
        case "getPrices":
            let catalogue = self.simulator.state.withLock { $0.snapshot() }
            return SimulatorReply.json(
                HandlerAPIFormat.prices(catalogue, service: parameters["service"], country: parameters["country"], variant: variant)
            )
        case "getNumbersStatus":
            let catalogue = self.simulator.state.withLock { $0.snapshot() }
            return SimulatorReply.json(HandlerAPIFormat.numbersStatus(catalogue, country: parameters["country"] ?? "0"))
        default:
            return Self.render(.badAction, variant: variant)
        }
    }

    private func render(_ result: Result<SimActivation, SimFailure>, variant: Bool, _ success: (SimActivation) -> Response) -> Response {
        switch result {
        case .success(let activation): success(activation)
        case .failure(let failure): Self.render(failure, variant: variant)
        }
    }

    /// The wire form of a refusal: plain codes under 200, or the variant forms under 4xx.
    static func render(_ failure: SimFailure, variant: Bool) -> Response {
        func reply(_ code: String, _ variantStatus: HTTPResponse.Status = .conflict) -> Response {
            SimulatorReply.text(code, status: variant ? variantStatus : .ok)
        }
        switch failure {
        case .badKey: return reply("BAD_KEY", .unauthorized)
        case .rateLimited(let retryAfter): return SimulatorReply.rateLimited("TOO_MANY_REQUESTS", retryAfter: retryAfter)
        case .serverFault:
            return variant ? SimulatorReply.text("ERROR_SQL") : SimulatorReply.text("Internal Server Error", status: .internalServerError)
        case .badService: return reply(variant ? "WRONG_SERVICE" : "BAD_SERVICE", .notFound)
        case .badCountry: return reply(variant ? "WRONG_COUNTRY" : "BAD_COUNTRY", .notFound)
        case .badOperator: return reply(variant ? "WRONG_OPERATOR" : "BAD_OPERATOR", .notFound)
        case .noNumbers: return reply("NO_NUMBERS", .notFound)
        case .noBalance: return reply("NO_BALANCE", .conflict)
        case .wrongMaxPrice(let minimum): return reply("WRONG_MAX_PRICE:\(Cents.text(minimum))", .conflict)
        case .banned(let until): return reply("BANNED:\(until)", .forbidden)
        case .channelsLimit: return reply("CHANNELS_LIMIT", .conflict)
        case .noActivation: return reply(variant ? "WRONG_ACTIVATION_ID" : "NO_ACTIVATION", .notFound)
        case .badStatus: return reply("BAD_STATUS", .conflict)
        case .earlyCancel(let window):
            return variant
                ? SimulatorReply.json(#"{"title":"EARLY_CANCEL_DENIED","info":{"minActivationTime":\#(window)}}"#, status: .conflict)
                : SimulatorReply.text("EARLY_CANCEL_DENIED")
        case .badAction: return reply("BAD_ACTION", .badRequest)
        }
    }
}
