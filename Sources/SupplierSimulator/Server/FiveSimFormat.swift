/// The 5sim wire forms of the simulator's state.
enum FiveSimFormat {
    /// An order. `justBought` answers `PENDING` like 5sim's purchase reply (the variant already says `RECEIVED`);
    /// `RECEIVED` without SMS is sent as `sms: null` (the variant: `[]`).
    static func order(_ activation: SimActivation, catalogue: CatalogueSnapshot, justBought: Bool = false, variant: Bool) -> String {
        let clock = catalogue.clock
        let sms: String
        if activation.codes.isEmpty {
            sms = variant ? "[]" : "null"
        } else {
            let product = catalogue.services[activation.service].product
            sms = "[" + zip(activation.codes, activation.codeTimes).map { code, time in
                let date = JSONText.string(JSONText.iso(clock.date(time)))
                return JSONText.object([
                    ("created_at", date), ("date", date), ("sender", JSONText.string(product)),
                    ("text", JSONText.string("Your \(product) code is \(code)")), ("code", JSONText.string(code)),
                ])
            }.joined(separator: ",") + "]"
        }
        let price = Cents.text(activation.priceCents)
        return JSONText.object([
            ("id", String(activation.id)),
            ("phone", JSONText.string("+" + activation.phone)),
            ("operator", JSONText.string(activation.operator)),
            ("product", JSONText.string(catalogue.services[activation.service].product)),
            ("price", variant ? JSONText.string(price) : price),
            ("status", JSONText.string(Self.status(activation, justBought: justBought, variant: variant))),
            ("expires", JSONText.string(JSONText.iso(clock.date(activation.expiresAt)))),
            ("sms", sms),
            ("created_at", JSONText.string(JSONText.iso(clock.date(activation.createdAt)))),
            ("country", JSONText.string(catalogue.countries[activation.country].name)),
        ])
    }

    private static func status(_ activation: SimActivation, justBought: Bool, variant: Bool) -> String {
        switch activation.phase {
        case .waiting, .ready: justBought && !variant ? "PENDING" : "RECEIVED"
        case .codeReceived, .retryRequested: "RECEIVED"
        case .finished: "FINISHED"
        case .cancelled: "CANCELED"
        case .banned: "BANNED"
        case .expired: activation.isCharged ? "FINISHED" : "TIMEOUT"
        }
    }

    /// `/guest/prices`: `product → country → operator` when only a product is asked for, else
    /// `country → product → operator`.
    static func prices(_ catalogue: CatalogueSnapshot, country: String?, product: String?) -> String {
        let productFirst = product != nil && country == nil
        let countries = catalogue.countries(matching: country)
        let services = catalogue.services(matching: product)
        func operators(_ serviceIndex: Int, _ countryIndex: Int) -> String {
            let offer = catalogue.offer(service: serviceIndex, country: countryIndex)
            let cells = catalogue.countries[countryIndex].operators.map {
                "\(JSONText.string($0)):{\"cost\":\(Cents.text(offer.priceCents)),\"count\":\(offer.count),\"rate\":99.5}"
            }
            return "{" + cells.joined(separator: ",") + "}"
        }
        let outer = productFirst
            ? services.map { serviceIndex in
                (catalogue.services[serviceIndex].product, countries.map { (catalogue.countries[$0].name, operators(serviceIndex, $0)) })
            }
            : countries.map { countryIndex in
                (catalogue.countries[countryIndex].name, services.map { (catalogue.services[$0].product, operators($0, countryIndex)) })
            }
        return JSONText.object(outer.map { ($0.0, JSONText.object($0.1)) })
    }

    /// `/guest/products/{country}/{operator}`: `{"telegram":{"Category":"activation","Qty":…,"Price":…}}`.
    static func products(_ catalogue: CatalogueSnapshot, country: Int) -> String {
        JSONText.object(catalogue.services.indices.map { serviceIndex in
            let offer = catalogue.offer(service: serviceIndex, country: country)
            return (
                catalogue.services[serviceIndex].product,
                "{\"Category\":\"activation\",\"Qty\":\(offer.count),\"Price\":\(Cents.text(offer.priceCents))}"
            )
        })
    }

    /// `/guest/countries`: `{"russia":{"iso":{"ru":1},"prefix":{"+7":1},"text_en":"russia"}}` (iso omitted).
    static func countries(_ catalogue: CatalogueSnapshot) -> String {
        JSONText.object(catalogue.countries.map { country in
            (country.name, "{\"prefix\":{\(JSONText.string("+" + country.dialCode)):1},\"text_en\":\(JSONText.string(country.name))}")
        })
    }
}
