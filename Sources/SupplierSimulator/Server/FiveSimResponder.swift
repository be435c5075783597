import Foundation
import Hummingbird

/// Serves 5sim's REST paths under `/v1`: buy, check, finish, cancel, ban, profile, orders and the guest lists.
struct FiveSimResponder: Sendable {
    let simulator: SupplierSimulator

    /// One 5sim call, as the router parsed it.
    enum Call: Sendable {
        case buy(country: String, operator: String, product: String, maxPrice: Decimal?, reference: String?)
        case check(Int?), finish(Int?), cancel(Int?), ban(Int?)
        case profile
        case orders(limit: Int, offset: Int)
        case prices(country: String?, product: String?)
        case products(country: String)
        case countries

        var action: String {
            switch self {
            case .buy: "5sim.buy"
            case .check: "5sim.check"
            case .finish: "5sim.finish"
            case .cancel: "5sim.cancel"
            case .ban: "5sim.ban"
            case .profile: "5sim.profile"
            case .orders: "5sim.orders"
            case .prices: "5sim.prices"
            case .products: "5sim.products"
            case .countries: "5sim.countries"
            }
        }

        var isGuest: Bool {
            switch self {
            case .prices, .products, .countries: true
            default: false
            }
        }
    }

    /// Answers one call; `authorization` is the `Authorization` header.
    ///
    /// Writes (buy, finish, cancel, ban) that took effect may lose their reply (``ReplyFault``); reads never do.
    func respond(_ call: Call, authorization: String?, context: SimulatorRequestContext) async -> Response {
        let key = authorization.flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let admitted = self.simulator.state.withLock {
            $0.admit(key: key, action: call.action, authenticated: !call.isGuest, now: .now)
        }
        var plan: RequestPlan
        switch admitted {
        case .success(let admittedPlan): plan = admittedPlan
        case .failure(let failure): return Self.render(failure, variant: self.simulator.configuration.variant)
        }
        if plan.latency > 0 { try? await Task.sleep(for: .seconds(plan.latency)) }
        let response = self.handle(call, key: key ?? "", plan: &plan)
        if plan.hang { try? await Task.sleep(for: .seconds(plan.hangSeconds)) }
        return await plan.fault.apply(to: response, context: context)
    }

    private func handle(_ call: Call, key: String, plan: inout RequestPlan) -> Response {
        let variant = plan.variant
        var fault = ReplyFault.none
        defer { plan.fault = fault }
        /// Applies `change` and renders the order; a write (`isWrite`) that took effect may lose its reply.
        func order(
            _ change: (inout SimulatorState, Double) -> Result<SimActivation, SimFailure>,
            justBought: Bool = false,
            isWrite: Bool = true
        ) -> Response {
            let (result, catalogue) = self.simulator.state.withLock { state in
                let result = change(&state, state.clock.now())
                if isWrite { fault = state.replyFault(after: result, perOffer: justBought) }
                return (result, state.snapshot())
            }
            switch result {
            case .success(let activation):
                return SimulatorReply.json(FiveSimFormat.order(activation, catalogue: catalogue, justBought: justBought, variant: variant))
            case .failure(let failure):
                return Self.render(failure, variant: variant)
            }
        }
        switch call {
        case .buy(let country, let operatorName, let product, let maxPrice, let reference):
            let request = PurchaseRequest(
                key: key, service: product, country: country, operator: operatorName, maxPrice: maxPrice, reference: reference
            )
            var purchaseHang = false
            let response = order({ state, now in state.purchase(request, now: now, hang: &purchaseHang) }, justBought: true)
            plan.hang = plan.hang || purchaseHang
            return response
        case .check(let id):
            return order({ state, now in state.activation(id, key: key, now: now) }, isWrite: false)
        case .finish(let id):
            return order { state, now in state.setStatus(id, key: key, status: 6, now: now) }
        case .cancel(let id):
            return order { state, now in state.setStatus(id, key: key, status: 8, now: now) }
        case .ban(let id):
            return order { state, now in state.ban(id, key: key, now: now) }
        case .profile:
            let balance = self.simulator.state.withLock { $0.balance(key) }
            return SimulatorReply.json(
                #"{"id":1,"email":"sim@example.invalid","vendor":"sim","default_forwarding_number":"","balance":\#(Cents.text(balance)),"rating":96,"default_country":{"name":"russia","iso":"ru","prefix":"+7"},"default_operator":{"name":"any"},"frozen_balance":0}"#
            )
        case .orders(let limit, let offset):
            let (page, catalogue) = self.simulator.state.withLock { state in
                (state.recentActivations(key: key, now: state.clock.now(), limit: limit, offset: offset), state.snapshot())
            }
            let orders = page.page.map { FiveSimFormat.order($0, catalogue: catalogue, variant: variant) }
            return SimulatorReply.json(
                #"{"Data":[\#(orders.joined(separator: ","))],"ProductNames":[],"Statuses":[],"Total":\#(page.total)}"#
            )
        case .prices(let country, let product):
            let catalogue = self.simulator.state.withLock { $0.snapshot() }
            return SimulatorReply.json(FiveSimFormat.prices(catalogue, country: country, product: product))
        case .products(let country):
            let (catalogue, index) = self.simulator.state.withLock { ($0.snapshot(), $0.country(country)) }
            guard let index else { return Self.render(.badCountry, variant: variant) }
            return SimulatorReply.json(FiveSimFormat.products(catalogue, country: index))
        case .countries:
            return SimulatorReply.json(FiveSimFormat.countries(self.simulator.state.withLock { $0.snapshot() }))
        }
    }

    /// 5sim's plain-text refusals; the variant answers `no free phones` under 200 and rate limits as the per-IP
    /// limit's 503, without `Retry-After`.
    static func render(_ failure: SimFailure, variant: Bool) -> Response {
        func bad(_ text: String) -> Response { SimulatorReply.text(text, status: .badRequest) }
        switch failure {
        case .badKey: return SimulatorReply.text("", status: .unauthorized)
        case .rateLimited(let retryAfter):
            return variant
                ? SimulatorReply.rateLimited("ip address limit is 100 requests per second", retryAfter: nil, status: .serviceUnavailable)
                : SimulatorReply.rateLimited("api limit is 100 requests per second", retryAfter: retryAfter)
        case .serverFault: return SimulatorReply.text("server error", status: .internalServerError)
        case .badService: return bad("no product")
        case .badCountry: return bad("bad country")
        case .badOperator: return bad("bad operator")
        case .noNumbers, .wrongMaxPrice, .channelsLimit:
            return SimulatorReply.text("no free phones", status: variant ? .ok : .badRequest)
        case .noBalance: return bad("not enough user balance")
        case .banned: return bad("not enough rating")
        case .noActivation: return SimulatorReply.text("order not found", status: .notFound)
        case .badStatus(let hasCode): return bad(hasCode ? "order has sms" : "order no sms")
        case .earlyCancel: return bad("you need to wait time")
        case .badAction: return SimulatorReply.text("not found", status: .notFound)
        }
    }
}
