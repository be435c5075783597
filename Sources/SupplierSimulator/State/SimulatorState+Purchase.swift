import Basics

extension SimulatorState {
    /// Sells a number, or says why not; `hang` is set when this offer's timeout fault fires.
    /// A repeated reference gets its first decision again (``SimulatorConfiguration/referenceReplay``).
    mutating func purchase(_ request: PurchaseRequest, now: Double, hang: inout Bool) -> Result<SimActivation, SimFailure> {
        self.ledger.purchaseAttempts += 1
        if let reference = request.reference { self.references[reference, default: ReferenceRecord()].attempts += 1 }
        if self.configuration.referenceReplay, let reference = request.reference,
           let decision = self.references[reference]?.decision, decision.key == request.key {
            self.ledger.requests["replayed_reference", default: 0] += 1
            if case .failure = decision.result { self.ledger.purchaseFailures += 1 }
            return decision.result.map { self.activations[$0]! }
        }
        let result = self.tryPurchase(request, now: now, hang: &hang)
        if let reference = request.reference {
            switch result {
            case .success(let activation): self.references[reference]?.decision = (request.key, .success(activation.id))
            case .failure(let failure) where failure.isDecision:
                self.references[reference]?.decision = (request.key, .failure(failure))
            case .failure: break
            }
        }
        if case .failure = result { self.ledger.purchaseFailures += 1 }
        return result
    }

    private mutating func tryPurchase(_ request: PurchaseRequest, now: Double, hang: inout Bool) -> Result<SimActivation, SimFailure> {
        guard let service = self.service(request.service) else { return .failure(.badService) }
        guard let country = self.country(request.country) else { return .failure(.badCountry) }
        let operatorName = request.operator.flatMap { $0.isEmpty ? nil : $0 } ?? "any"
        guard self.configuration.countries[country].operators.contains(operatorName) else { return .failure(.badOperator) }
        if let until = self.configuration.bannedUntil { return .failure(.banned(until: until)) }
        if let limit = self.configuration.channelsLimit, (self.open[request.key]?.count ?? 0) >= limit {
            return .failure(.channelsLimit)
        }
        let offer = OfferKey(service: service, country: country)
        guard let behaviour = self.behaviours[offer] else { return .failure(.noNumbers) }
        if self.random.chance(behaviour.errorRate) { return .failure(.serverFault) }
        if self.random.chance(behaviour.noNumbersRate) || (self.stock[offer] ?? 0) <= 0 { return .failure(.noNumbers) }
        let price = Cents.from(behaviour.price)
        let maxPrice = request.maxPrice.map(Cents.from)
        // A misbehaving supplier sells above the buyer's limit now and then instead of refusing.
        let overMaxPrice = maxPrice.map { $0 < price } ?? false
        if overMaxPrice, !self.random.chance(behaviour.overMaxPriceRate) { return .failure(.wrongMaxPrice(minimumCents: price)) }
        guard self.balance(request.key) >= price else { return .failure(.noBalance) }
        if self.random.chance(behaviour.timeoutRate) { hang = true }

        let id = self.nextID
        self.nextID += 1
        let dialCode = self.configuration.countries[country].dialCode
        let activation = SimActivation(
            id: id,
            key: request.key,
            reference: request.reference,
            service: service,
            country: country,
            operator: operatorName,
            phone: dialCode + String(9_000_000_000 + id % 1_000_000_000),
            priceCents: price,
            currency: behaviour.currency.uppercased(),
            maxPriceCents: maxPrice,
            createdAt: now,
            expiresAt: now + self.configuration.activationLifetime.seconds,
            anotherCodeAllowed: behaviour.anotherCode,
            nextCodeAt: behaviour.smsDelay.sample(&self.random).map { now + $0 }
        )
        self.activations[id] = activation
        self.open[request.key, default: []].insert(id)
        self.balances[request.key, default: 0] -= price
        self.stock[offer, default: 0] -= 1
        self.ledger.purchases += 1
        self.ledger.purchasedCents += price
        if overMaxPrice { self.ledger.requests["fault.over_max_price", default: 0] += 1 }
        if let reference = request.reference { self.references[reference, default: ReferenceRecord()].activationIDs.append(id) }
        return .success(activation)
    }
}
