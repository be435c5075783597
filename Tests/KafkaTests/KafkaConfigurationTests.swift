@testable import Kafka
import Testing

/// librdkafka accepting these values is checked by every consumer the other suites start with the defaults.
@Suite("Kafka client configuration: librdkafka's memory bounds")
struct KafkaConfigurationTests {
    @Test("a consumer prefetches at most 8 MiB unless a property says otherwise")
    func consumerPrefetchBounds() {
        var configuration = KafkaConsumerConfiguration(groupID: "g")
        var properties = configuration.rdKafkaProperties
        #expect(properties["queued.max.messages.kbytes"] == "8192")
        #expect(properties["queued.min.messages"] == "10000")
        #expect(properties["fetch.max.bytes"] == "8388608")

        configuration.client.properties["queued.max.messages.kbytes"] = "2048"
        properties = configuration.rdKafkaProperties
        #expect(properties["queued.max.messages.kbytes"] == "2048", "an explicit librdkafka property wins")

        configuration.prefetchLikeLibrdkafka()
        configuration.client.properties = [:]
        properties = configuration.rdKafkaProperties
        #expect(properties["queued.max.messages.kbytes"] == "65536" && properties["fetch.max.bytes"] == "52428800")
    }
}
