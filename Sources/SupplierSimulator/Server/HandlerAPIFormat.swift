import Basics

/// The handler_api wire forms of the simulator's state.
enum HandlerAPIFormat {
    /// `getStatus`: `STATUS_WAIT_CODE`, `STATUS_WAIT_RETRY:<previous>`, `STATUS_OK:<code>`, `STATUS_CANCEL`; the
    /// variant answers `STATUS_WAIT_RESEND` after status 1.
    static func status(_ activation: SimActivation, variant: Bool) -> String {
        let last = activation.codes.last ?? ""
        switch activation.phase {
        case .waiting: return "STATUS_WAIT_CODE"
        case .ready: return variant ? "STATUS_WAIT_RESEND" : "STATUS_WAIT_CODE"
        case .codeReceived, .finished: return "STATUS_OK:\(last)"
        case .retryRequested: return "STATUS_WAIT_RETRY:\(last)"
        case .cancelled, .banned: return "STATUS_CANCEL"
        case .expired: return activation.isCharged ? "STATUS_OK:\(last)" : "STATUS_CANCEL"
        }
    }

    /// `getNumberV2`; the variant writes every scalar as a string. `currency` is the ISO 4217 numeric code of the
    /// offer's currency (`840`), or the alpha code as a string when ``CurrencyCodes`` lacks it.
    static func numberV2(_ activation: SimActivation, country: SimulatedCountry, clock: SimulatorClock, variant: Bool) -> String {
        func scalar(_ text: String) -> String { variant ? JSONText.string(text) : text }
        let currency = CurrencyCodes.numeric(activation.currency).map { scalar(String($0)) } ?? JSONText.string(activation.currency)
        return JSONText.object([
            ("activationId", scalar(String(activation.id))),
            ("phoneNumber", JSONText.string(activation.phone)),
            ("activationCost", scalar(Cents.text(activation.priceCents))),
            ("currency", currency),
            ("countryCode", JSONText.string(String(country.id))),
            ("canGetAnotherSms", variant ? JSONText.string(activation.anotherCodeAllowed ? "1" : "0") : String(activation.anotherCodeAllowed)),
            ("activationTime", JSONText.string(JSONText.plain(clock.date(activation.createdAt)))),
            ("activationOperator", JSONText.string(activation.operator)),
        ])
    }

    /// `getActiveActivations`; the variant writes `smsCode` / `smsText` as lists.
    ///
    /// Written into one buffer: a worker polls the list several times a second and it holds every activation in
    /// flight, so it is most of what the simulator writes (built item by item from strings, it took a sixth of the
    /// simulator's CPU in the throughput benchmark).
    static func activeActivations(_ list: [SimActivation], catalogue: CatalogueSnapshot, variant: Bool) -> String {
        var json: [UInt8] = []
        json.reserveCapacity(64 + list.count * 320)
        func raw(_ text: StaticString) {
            text.withUTF8Buffer { json.append(contentsOf: $0) }
        }
        func string(_ text: String) { JSONQuoting.write(text, into: &json) }
        func sms(_ value: String?) {
            guard let value else { return raw(variant ? "[]" : "null") }
            if variant { json.append(UInt8(ascii: "[")) }
            string(value)
            if variant { json.append(UInt8(ascii: "]")) }
        }
        raw(#"{"status":"success","activeActivations":["#)
        for (index, activation) in list.enumerated() {
            let code = activation.codes.last
            raw(index == 0 ? #"{"activationId":"# : #",{"activationId":"#)
            json.append(contentsOf: String(activation.id).utf8)
            raw(#","serviceCode":"#)
            string(catalogue.services[activation.service].code)
            raw(#","phoneNumber":"#)
            string(activation.phone)
            raw(#","activationCost":"#)
            json.append(contentsOf: Cents.text(activation.priceCents).utf8)
            raw(#","activationStatus":"#)
            string(Self.activationStatus(activation))
            raw(#","smsCode":"#)
            sms(code)
            raw(#","smsText":"#)
            sms(code.map { "Your code is \($0)" })
            raw(#","activationTime":"#)
            string(JSONText.plain(catalogue.clock.date(activation.createdAt)))
            raw(#","canGetAnotherSms":"#)
            raw(activation.anotherCodeAllowed ? "true" : "false")
            raw(#","countryCode":"#)
            string(String(catalogue.countries[activation.country].id))
            json.append(UInt8(ascii: "}"))
        }
        raw("]}")
        return String(decoding: json, as: UTF8.self)
    }

    /// `getPrices`: `{"<country id>":{"<service>":{"cost":…,"count":…}}}`; the variant writes strings.
    static func prices(_ catalogue: CatalogueSnapshot, service: String?, country: String?, variant: Bool) -> String {
        let countries = catalogue.countries(matching: country).map { countryIndex -> String in
            let services = catalogue.services(matching: service).map { serviceIndex -> String in
                let offer = catalogue.offer(service: serviceIndex, country: countryIndex)
                let cost = variant ? JSONText.string(Cents.text(offer.priceCents)) : Cents.text(offer.priceCents)
                let count = variant ? JSONText.string(String(offer.count)) : String(offer.count)
                return "\(JSONText.string(catalogue.services[serviceIndex].code)):{\"cost\":\(cost),\"count\":\(count)}"
            }
            return "\(JSONText.string(String(catalogue.countries[countryIndex].id))):{\(services.joined(separator: ","))}"
        }
        return "{\(countries.joined(separator: ","))}"
    }

    /// `getNumbersStatus`: `{"tg_0":158,"tg_1":0,…}` (`_1`: with forwarding, which the simulator does not sell).
    static func numbersStatus(_ catalogue: CatalogueSnapshot, country: String) -> String {
        guard let countryIndex = catalogue.countries(matching: country).first else { return "{}" }
        let fields = catalogue.services.indices.flatMap { serviceIndex -> [(String, String)] in
            let code = catalogue.services[serviceIndex].code
            return [("\(code)_0", String(catalogue.offer(service: serviceIndex, country: countryIndex).count)), ("\(code)_1", "0")]
        }
        return JSONText.object(fields)
    }

    /// A numeric status for `activationStatus`: mirrors the last setStatus (0 fresh, 1 ready, 3 another code …).
    static func activationStatus(_ activation: SimActivation) -> String {
        switch activation.phase {
        case .waiting: "0"
        case .ready: "1"
        case .codeReceived: "2"
        case .retryRequested: "3"
        case .finished: "6"
        case .cancelled, .banned, .expired: "8"
        }
    }
}
