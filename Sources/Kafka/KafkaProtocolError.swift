/// A Kafka protocol error code, as a broker would answer it.
public struct KafkaProtocolError: Sendable, Hashable {
    public let code: Int32

    public init(code: Int32) { self.code = code }

    public static let notLeaderForPartition = KafkaProtocolError(code: 6)
    public static let requestTimedOut = KafkaProtocolError(code: 7)
    public static let coordinatorNotAvailable = KafkaProtocolError(code: 15)
    public static let notCoordinator = KafkaProtocolError(code: 16)
    public static let notEnoughReplicas = KafkaProtocolError(code: 19)
    public static let rebalanceInProgress = KafkaProtocolError(code: 27)
}
