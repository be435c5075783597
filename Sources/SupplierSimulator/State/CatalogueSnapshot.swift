/// The simulator's catalogue, prices and stock at one moment: small, copied out of the lock to build listings.
struct CatalogueSnapshot: Sendable {
    var services: [SimulatedService]
    var countries: [SimulatedCountry]
    var behaviours: [SimulatorState.OfferKey: OfferBehaviour]
    var stock: [SimulatorState.OfferKey: Int]
    var clock: SimulatorClock

    /// Price (cents) and stock of one service in one country.
    func offer(service: Int, country: Int) -> (priceCents: Int64, count: Int) {
        let key = SimulatorState.OfferKey(service: service, country: country)
        return (Cents.from(self.behaviours[key]?.price ?? 0), max(0, self.stock[key] ?? 0))
    }

    /// Indexes of the services matching a code or product (all when nil).
    func services(matching key: String?) -> [Int] {
        self.services.indices.filter { key == nil || self.services[$0].code == key || self.services[$0].product == key }
    }

    /// Indexes of the countries matching an id or name (all when nil).
    func countries(matching key: String?) -> [Int] {
        self.countries.indices.filter { key == nil || String(self.countries[$0].id) == key || self.countries[$0].name == key }
    }
}
