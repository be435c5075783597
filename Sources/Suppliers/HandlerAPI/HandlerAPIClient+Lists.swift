import Basics
import Foundation

extension HandlerAPIClient {
    private struct ActiveList: Decodable {
        var status: String?
        var activeActivations: [Item]?

        struct Item: Decodable {
            var activationId: LenientValue?
            var serviceCode: LenientValue?
            var phoneNumber: LenientValue?
            var activationCost: LenientValue?
            var activationStatus: LenientValue?
            var smsCode: LenientValue?
            var smsText: LenientValue?
            var activationTime: LenientValue?
            var countryCode: LenientValue?
        }
    }

    private struct Cell: Decodable {
        var cost: LenientValue?
        var count: LenientValue?
    }

    public func activeActivations() async throws(SupplierError) -> [ActiveActivation] {
        let reply = try await self.call("getActiveActivations", [])
        let body = reply.trimmed
        if body.hasPrefix("NO_ACTIVATIONS") || UTF8Search.contains(body, "\"NO_ACTIVATIONS\"") { return [] }
        guard let list = try? JSONDecoder().decode(ActiveList.self, from: Data(body.utf8)), list.status != "error" else {
            throw self.unknown("getActiveActivations", reply)
        }
        return (list.activeActivations ?? []).compactMap { item in
            guard let id = item.activationId?.nonEmpty else { return nil }
            let status: SupplierStatus
            if let code = item.smsCode?.nonEmpty {
                status = .codeReceived(code: code, text: item.smsText?.nonEmpty)
            } else {
                status = .waitingForCode
            }
            return ActiveActivation(
                activationID: id,
                phoneNumber: PhoneNumber.e164(item.phoneNumber?.text ?? ""),
                serviceKey: item.serviceCode?.text ?? "",
                countryKey: item.countryCode?.nonEmpty,
                cost: item.activationCost?.decimal,
                status: status,
                purchasedAt: item.activationTime?.text.flatMap(SupplierDate.parse)
            )
        }
    }

    public func offers(service: CatalogueService?, country: CatalogueCountry?) async throws(SupplierError) -> [SupplierOffer] {
        let reply = try await self.call(
            "getPrices",
            [("service", service?.handlerAPICode), ("country", country?.handlerAPIID.map(String.init))]
        )
        guard let table = try? JSONDecoder().decode([String: [String: Cell]].self, from: Data(reply.trimmed.utf8)) else {
            throw self.unknown("getPrices", reply)
        }
        var offers: [SupplierOffer] = []
        for (countryKey, services) in table {
            for (serviceKey, cell) in services {
                guard let cost = cell.cost?.decimal else { continue }
                offers.append(SupplierOffer(serviceKey: serviceKey, countryKey: countryKey, cost: cost, count: cell.count?.int ?? 0))
            }
        }
        return offers
    }

    /// Numbers available per service in one country (`getNumbersStatus`): keys like `tg_0` (`_1`: with forwarding).
    public func numbersStatus(country: CatalogueCountry) async throws(SupplierError) -> [String: Int] {
        let reply = try await self.call("getNumbersStatus", [("country", country.handlerAPIID.map(String.init))])
        guard let table = try? JSONDecoder().decode([String: LenientValue].self, from: Data(reply.trimmed.utf8)) else {
            throw self.unknown("getNumbersStatus", reply)
        }
        return table.compactMapValues(\.int)
    }
}
