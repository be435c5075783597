/// One supplier account as written in `config/catalogue.yaml`; keys are resolved by ``resolve(environment:)``.
struct SupplierEntry: Decodable {
    var name: String
    var api: SupplierAPI
    var baseURL: String
    var apiKey: String?
    var apiKeyEnv: String?
    var requestsPerSecond: Double?
    var burst: Int?
    var requestTimeoutSeconds: Double?
    var numberV2: Bool?
    var referenceParameter: String?
    var replaysReferences: Bool?
    var activationLifetimeSeconds: Double?
    var earlyCancelWindowSeconds: Double?

    private enum CodingKeys: String, CodingKey {
        case name, api, baseURL = "base_url", apiKey = "api_key", apiKeyEnv = "api_key_env"
        case requestsPerSecond = "requests_per_second", burst, requestTimeoutSeconds = "request_timeout_seconds"
        case numberV2 = "number_v2", referenceParameter = "reference_parameter", replaysReferences = "replays_references"
        case activationLifetimeSeconds = "activation_lifetime_seconds"
        case earlyCancelWindowSeconds = "early_cancel_window_seconds"
    }

    /// The environment variable prefix for this supplier: `OTPPOOL_SUPPLIER_<NAME>_`.
    var environmentPrefix: String {
        "OTPPOOL_SUPPLIER_" + String(self.name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }) + "_"
    }

    /// The configuration with its key taken from `api_key_env`, then `OTPPOOL_SUPPLIER_<NAME>_API_KEY`, then the
    /// file `OTPPOOL_SUPPLIER_<NAME>_API_KEY_FILE` names (a mounted secret), then `api_key`; and its base URL from
    /// `OTPPOOL_SUPPLIER_<NAME>_BASE_URL`, then `base_url`.
    func resolve(environment: [String: String]) throws(SupplierError) -> SupplierConfiguration {
        let keyVariable = self.environmentPrefix + "API_KEY"
        var fromFile: String?
        if let path = environment[keyVariable + "_FILE"] {
            do {
                fromFile = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw SupplierError(
                    supplier: self.name, code: .invalidConfiguration, action: "load",
                    message: "\(keyVariable)_FILE names \(path), which cannot be read (\(error))")
            }
        }
        let key = self.apiKeyEnv.flatMap { environment[$0] } ?? environment[keyVariable] ?? fromFile ?? self.apiKey
        guard let key, !key.isEmpty else {
            throw SupplierError(
                supplier: self.name,
                code: .invalidConfiguration,
                action: "load",
                message: "no API key: set \(self.apiKeyEnv ?? keyVariable) in the environment"
            )
        }
        let defaults = SupplierConfiguration(name: self.name, api: self.api, baseURL: "", apiKey: SupplierAPIKey(""))
        return SupplierConfiguration(
            name: self.name,
            api: self.api,
            baseURL: environment[self.environmentPrefix + "BASE_URL"] ?? self.baseURL,
            apiKey: SupplierAPIKey(key),
            requestsPerSecond: self.requestsPerSecond ?? defaults.requestsPerSecond,
            burst: self.burst ?? defaults.burst,
            requestTimeout: self.requestTimeoutSeconds.map(Duration.seconds) ?? defaults.requestTimeout,
            useNumberV2: self.numberV2 ?? defaults.useNumberV2,
            referenceParameter: self.referenceParameter.map { $0.isEmpty ? nil : $0 } ?? defaults.referenceParameter,
            replaysReferences: self.replaysReferences ?? defaults.replaysReferences,
            activationLifetime: self.activationLifetimeSeconds.map(Duration.seconds) ?? defaults.activationLifetime,
            earlyCancelWindow: self.earlyCancelWindowSeconds.map(Duration.seconds) ?? defaults.earlyCancelWindow
        )
    }
}
