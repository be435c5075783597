import Testing

@testable import Kafka

@Suite("Consumer event buffer")
struct ConsumerEventBufferTests {
    /// A consumer dropped while batches are still buffered (a reader that stopped early) must free its
    /// buffer: the slots those batches hold are given back first, or libdispatch traps on the semaphore.
    @Test func droppingABufferWithBatchesStillHeldDoesNotTrap() async {
        var buffer: ConsumerEventBuffer? = ConsumerEventBuffer(capacity: 2)
        #expect(buffer?.pushWaiting(.messages([])) == true)
        #expect(buffer?.pushWaiting(.messages([])) == true)
        if case .messages = await buffer?.next() {} else { Issue.record("the first batch comes out first") }
        buffer?.finish()
        buffer = nil
    }
}
