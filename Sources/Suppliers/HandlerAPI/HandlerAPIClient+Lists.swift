import Basics
import Foundation

extension HandlerAPIClient {
    private struct Cell: Decodable {
        var cost: LenientValue?
        var count: LenientValue?
    }

    public func activeActivations() async throws(SupplierError) -> [ActiveActivation] {
        let reply = try await self.call("getActiveActivations", [])
        let body = reply.trimmed
        if body.hasPrefix("NO_ACTIVATIONS") || UTF8Search.contains(body, "\"NO_ACTIVATIONS\"") { return [] }
        guard let list = Self.activeList(body) else { throw self.unknown("getActiveActivations", reply) }
        return list
    }

    /// The entries of a `getActiveActivations` body; nil when it is not a list (an error status, not JSON).
    ///
    /// Read with `JSONSerialization`, not `JSONDecoder`: the list holds every open number of the key, and through
    /// ``LenientValue``'s decoding each number is read as text first, the mismatch thrown and caught (20,000 entries
    /// in a debug build: 0.28 s for the ids alone; `JSONSerialization` parses the whole body in 0.16 s).
    static func activeList(_ body: Substring) -> [ActiveActivation]? {
        guard let list = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            LenientValue(any: list["status"])?.text != "error"
        else { return nil }
        guard let items = list["activeActivations"].map({ $0 is NSNull ? [] : $0 as? [Any] }) ?? [],
            !items.contains(where: { !($0 is [String: Any]) })
        else { return nil }
        var entries: [ActiveActivation] = []
        entries.reserveCapacity(items.count)
        for case let item as [String: Any] in items {
            func value(_ key: String) -> LenientValue? { LenientValue(any: item[key]) }
            guard let id = value("activationId")?.nonEmpty else { continue }
            let status: SupplierStatus
            if let code = value("smsCode")?.nonEmpty {
                status = .codeReceived(code: code, text: value("smsText")?.nonEmpty)
            } else {
                status = .waitingForCode
            }
            entries.append(ActiveActivation(
                activationID: id,
                phoneNumber: PhoneNumber.e164(value("phoneNumber")?.text ?? ""),
                serviceKey: value("serviceCode")?.text ?? "",
                countryKey: value("countryCode")?.nonEmpty,
                cost: value("activationCost")?.decimal,
                status: status,
                purchasedAt: value("activationTime")?.text.flatMap(SupplierDate.parse)
            ))
        }
        return entries
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
