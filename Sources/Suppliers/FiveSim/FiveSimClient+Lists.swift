import Basics
import Foundation

extension FiveSimClient {
    private struct OrderPage: Decodable {
        var data: [FiveSimOrder]?
        var total: LenientValue?

        private enum CodingKeys: String, CodingKey {
            case data = "Data", total = "Total"
        }
    }

    private struct Profile: Decodable {
        var balance: LenientValue?
    }

    private struct Cell: Decodable {
        var cost: LenientValue?
        var count: LenientValue?
    }

    /// Open orders from the order history (5sim has no bulk status): pages newest first until the orders are
    /// older than the activation lifetime.
    public func activeActivations() async throws(SupplierError) -> [ActiveActivation] {
        try await self.orders(lifetimes: 1.5) { $0.isActive }
    }

    /// Open orders, and those whose life ended by itself (billed with a code, or expired and refunded), from the
    /// order history back to three lifetimes ago: a lost purchase is looked for until its look succeeds, which a
    /// supplier storm can put off past its life. Cancelled and banned orders were somebody's: left out.
    public func recentActivations() async throws(SupplierError) -> [ActiveActivation] {
        try await self.orders(lifetimes: 3) { $0 != .cancelled && $0 != .banned }
    }

    /// The orders of the history whose status `keep` accepts, newest first, back to `lifetimes` activation
    /// lifetimes ago.
    private func orders(lifetimes: Double, keeping keep: (SupplierStatus) -> Bool) async throws(SupplierError) -> [ActiveActivation] {
        let pageSize = 500
        let horizon = Date() - self.configuration.activationLifetime.seconds * lifetimes
        var kept: [ActiveActivation] = []
        var offset = 0
        while true {
            let reply = try await self.call(
                "/user/orders",
                [("category", "activation"), ("limit", String(pageSize)), ("offset", String(offset)),
                 ("order", "id"), ("reverse", "true")],
                action: "orders"
            )
            guard let page = try? JSONDecoder().decode(OrderPage.self, from: Data(reply.trimmed.utf8)) else {
                throw self.unknown("orders", reply)
            }
            let orders = page.data ?? []
            for order in orders {
                guard let status = order.supplierStatus, keep(status), let id = order.id.nonEmpty else { continue }
                kept.append(
                    ActiveActivation(
                        activationID: id,
                        phoneNumber: PhoneNumber.e164(order.phone ?? ""),
                        serviceKey: order.product ?? "",
                        countryKey: order.country,
                        cost: order.price?.decimal,
                        status: status,
                        purchasedAt: order.createdAt.flatMap(SupplierDate.parse)
                    )
                )
            }
            let oldest = orders.last?.createdAt.flatMap(SupplierDate.parse)
            offset += orders.count
            if orders.count < pageSize || (oldest.map { $0 < horizon } ?? true) { break }
        }
        return kept
    }

    public func balance() async throws(SupplierError) -> Decimal {
        let reply = try await self.call("/user/profile", [], action: "profile")
        guard let profile = try? JSONDecoder().decode(Profile.self, from: Data(reply.trimmed.utf8)),
            let balance = profile.balance?.decimal
        else { throw self.unknown("profile", reply) }
        return balance
    }

    /// Prices per operator. 5sim nests `product → country → operator` when only a product is asked for, and
    /// `country → product → operator` otherwise.
    public func offers(service: CatalogueService?, country: CatalogueCountry?) async throws(SupplierError) -> [SupplierOffer] {
        let reply = try await self.call(
            "/guest/prices",
            [("country", country?.fiveSimName), ("product", service?.fiveSimProduct)],
            action: "prices"
        )
        guard let table = try? JSONDecoder().decode([String: [String: [String: Cell]]].self, from: Data(reply.trimmed.utf8))
        else { throw self.unknown("prices", reply) }
        let productFirst = service != nil && country == nil
        var offers: [SupplierOffer] = []
        for (outer, middle) in table {
            for (inner, operators) in middle {
                for (operatorName, cell) in operators {
                    guard let cost = cell.cost?.decimal else { continue }
                    offers.append(
                        SupplierOffer(
                            serviceKey: productFirst ? outer : inner,
                            countryKey: productFirst ? inner : outer,
                            operator: operatorName,
                            cost: cost,
                            count: cell.count?.int ?? 0
                        )
                    )
                }
            }
        }
        return offers
    }
}
