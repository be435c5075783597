/// A Kafka protocol API, for injecting request errors into the embedded cluster.
public struct KafkaAPI: Sendable, Hashable {
    public let key: Int16

    public init(key: Int16) { self.key = key }

    public static let produce = KafkaAPI(key: 0)
    public static let fetch = KafkaAPI(key: 1)
    public static let listOffsets = KafkaAPI(key: 2)
    public static let metadata = KafkaAPI(key: 3)
    public static let offsetCommit = KafkaAPI(key: 8)
    public static let offsetFetch = KafkaAPI(key: 9)
    public static let findCoordinator = KafkaAPI(key: 10)
    public static let joinGroup = KafkaAPI(key: 11)
    public static let heartbeat = KafkaAPI(key: 12)
    public static let syncGroup = KafkaAPI(key: 14)
    public static let initProducerID = KafkaAPI(key: 22)
}
