import Foundation
import Yams

extension Catalogue {
    /// Loads a catalogue from a YAML file.
    ///
    /// - Parameters:
    ///   - path: the file, usually `config/catalogue.yaml`.
    ///   - environment: where supplier keys and base URL overrides are read. Default: the process environment.
    /// - Throws: ``SupplierError`` with code `invalidConfiguration` naming the file and the problem.
    public static func load(
        path: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SupplierError) -> Catalogue {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SupplierError(
                supplier: "catalogue", code: .invalidConfiguration, action: "load",
                message: "cannot read \(path) (\(error)); pass an existing catalogue file"
            )
        }
        return try Self(yaml: text, source: path, environment: environment)
    }

    /// Reads a catalogue from YAML text.
    ///
    /// - Parameters:
    ///   - yaml: the catalogue, in the format of `config/catalogue.yaml`.
    ///   - source: how to name the text in errors.
    ///   - environment: where supplier keys and base URL overrides are read.
    public init(yaml: String, source: String = "catalogue", environment: [String: String] = [:]) throws(SupplierError) {
        let file: CatalogueFile
        do {
            file = try YAMLDecoder().decode(CatalogueFile.self, from: yaml)
        } catch {
            throw SupplierError(
                supplier: "catalogue", code: .invalidConfiguration, action: "load",
                message: "\(source) is not a valid catalogue: \(error); compare with config/catalogue.yaml"
            )
        }
        var suppliers: [SupplierConfiguration] = []
        for entry in file.suppliers ?? [] {
            suppliers.append(try entry.resolve(environment: environment))
        }
        try self.init(
            services: file.services,
            countries: file.countries,
            numberTypes: file.numberTypes ?? [.any],
            suppliers: suppliers,
            pools: file.pools ?? [],
            priceLimits: file.priceLimits ?? [],
            inventoryTTL: file.inventory?.ttlSeconds.map(Duration.seconds) ?? .seconds(30)
        )
    }
}
