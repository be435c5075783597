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
    /// Read with ``JSONScanner``: the list holds every open number of the key, and a tree of it (`JSONSerialization`'s
    /// dictionaries, or ``LenientValue``'s decoding, which read each number as text first and threw and caught the
    /// mismatch) cost about 5 kB and many allocations an entry.
    static func activeList(_ body: Substring) -> [ActiveActivation]? {
        var status: LenientValue?
        var entries: [ActiveActivation] = []
        let read = JSONScanner.scan(body) { scanner in
            let members = scanner.object { scanner, key in
                switch key {
                case "status":
                    status = scanner.lenientValue()
                    return status != nil
                case "activeActivations":
                    return scanner.null() || scanner.array { scanner in
                        var entry = ActiveListEntry()
                        guard scanner.object({ entry.read($1, from: &$0) }) else { return false }
                        if let active = entry.activation { entries.append(active) }
                        return true
                    }
                default:
                    return scanner.skipValue()
                }
            }
            return members && scanner.atEnd()
        }
        guard read, status?.text != "error" else { return nil }
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

/// The members of one `getActiveActivations` entry that an ``ActiveActivation`` holds.
private struct ActiveListEntry {
    var id, code, text, phone, service, country, cost, time: LenientValue?

    /// Reads the member `key`'s value into its field, or skips it; false when the value is malformed.
    mutating func read(_ key: String, from scanner: inout JSONScanner) -> Bool {
        let field: WritableKeyPath<ActiveListEntry, LenientValue?>
        switch key {
        case "activationId": field = \.id
        case "smsCode": field = \.code
        case "smsText": field = \.text
        case "phoneNumber": field = \.phone
        case "serviceCode": field = \.service
        case "countryCode": field = \.country
        case "activationCost": field = \.cost
        case "activationTime": field = \.time
        default: return scanner.skipValue()
        }
        self[keyPath: field] = scanner.lenientValue()
        return self[keyPath: field] != nil
    }

    /// The entry; nil without an activation id.
    var activation: ActiveActivation? {
        guard let id = id?.nonEmpty else { return nil }
        let status: SupplierStatus = if let code = code?.nonEmpty { .codeReceived(code: code, text: text?.nonEmpty) } else { .waitingForCode }
        return ActiveActivation(
            activationID: id, phoneNumber: PhoneNumber.e164(phone?.text ?? ""), serviceKey: service?.text ?? "",
            countryKey: country?.nonEmpty, cost: cost?.decimal, status: status,
            purchasedAt: time?.text.flatMap(SupplierDate.parse))
    }
}
