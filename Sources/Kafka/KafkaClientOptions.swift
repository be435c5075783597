import Basics

/// Settings shared by producers, consumers and admin clients.
///
/// The typed fields cover what the pool needs; `properties` passes any other librdkafka property
/// through unchanged (`security.protocol`, `sasl.*`, `ssl.*` for real clusters). A property set in
/// `properties` wins over the typed field that maps to the same name.
public struct KafkaClientOptions: Sendable {
    /// The brokers to bootstrap from, as `host:port`. Default: `127.0.0.1:9092`.
    public var bootstrapServers: [String]
    /// The client ID brokers see in their logs and quotas. Default: `otppool`.
    public var clientID: String
    /// Longest wait between reconnection attempts to a broker that went away. Default: 1 second
    /// (librdkafka's own default of 10 seconds leaves a recovered cluster idle for too long).
    public var reconnectBackoffMax: Duration
    /// Any further librdkafka property, by its CONFIGURATION.md name. Default: none.
    public var properties: [String: String]

    public init(
        bootstrapServers: [String] = ["127.0.0.1:9092"],
        clientID: String = "otppool",
        reconnectBackoffMax: Duration = .seconds(1),
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.reconnectBackoffMax = reconnectBackoffMax
        self.properties = properties
    }

    var rdKafkaProperties: [String: String] {
        [
            "bootstrap.servers": bootstrapServers.joined(separator: ","),
            "client.id": clientID,
            "reconnect.backoff.max.ms": String(reconnectBackoffMax.milliseconds),
        ]
    }
}
