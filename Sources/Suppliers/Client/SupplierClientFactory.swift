import AsyncHTTPClient
import Logging

/// Makes the adapter that speaks `configuration.api`.
///
/// - Parameters:
///   - configuration: the supplier account.
///   - httpClient: the process's shared client (``AsyncHTTPClient/HTTPClient/makeForSuppliers(options:)``).
///   - rateShare: this process's part of the account's rate limit (``RateShare``). Default: all of it.
///   - logger: gets `supplier` metadata; requests log at debug, never with the key.
public func makeSupplierClient(
    _ configuration: SupplierConfiguration,
    httpClient: HTTPClient,
    rateShare: RateShare = RateShare(),
    logger: Logger
) -> any SupplierClient {
    switch configuration.api {
    case .handlerAPI: HandlerAPIClient(configuration: configuration, httpClient: httpClient, rateShare: rateShare, logger: logger)
    case .fiveSim: FiveSimClient(configuration: configuration, httpClient: httpClient, rateShare: rateShare, logger: logger)
    }
}
