extension Catalogue {
    /// Checks that every name the catalogue refers to exists.
    func validate() throws(SupplierError) {
        func invalid(_ message: String) -> SupplierError {
            SupplierError(supplier: "catalogue", code: .invalidConfiguration, action: "load", message: message)
        }
        let supplierNames = Set(self.suppliers.map(\.name))
        if supplierNames.count != self.suppliers.count {
            throw invalid("two suppliers share a name; give each supplier a unique name")
        }
        for pool in self.pools {
            for name in pool.suppliers where !supplierNames.contains(name) {
                throw invalid(
                    "pool '\(pool.name)' names unknown supplier '\(name)'; known: \(supplierNames.sorted().joined(separator: ", "))"
                )
            }
        }
        let countryCodes = Set(self.countries.map(\.code))
        for service in self.services {
            for code in service.countries ?? [] where !countryCodes.contains(code) {
                throw invalid(
                    "service '\(service.code)' names unknown country '\(code)'; known: \(countryCodes.sorted().joined(separator: ", "))"
                )
            }
        }
        for limit in self.priceLimits {
            _ = try self.service(limit.service)
            _ = try self.country(limit.country)
        }
    }
}
