import Dispatch
import Synchronization

/// The bounded hand-over between a consumer's poll thread and the task iterating its events.
///
/// Message batches take one of a fixed number of slots; when all are taken the poll thread waits
/// (it is a dedicated thread, so waiting there is fine), which stops fetching and bounds memory.
/// Rebalance events never wait: they are raised inside librdkafka's poll call.
final class ConsumerEventBuffer: Sendable {
    private struct State {
        var items: [(event: KafkaConsumerEvent, holdsSlot: Bool)] = []
        var waiter: CheckedContinuation<KafkaConsumerEvent?, Never>?
        var finished = false
    }

    private let slots: DispatchSemaphore
    private let state = Mutex(State())

    init(capacity: Int) {
        slots = DispatchSemaphore(value: max(capacity, 1))
    }

    /// Hands over a batch, waiting for a free slot; returns `false` once the buffer is finished.
    /// Blocking: call only from the poll thread.
    func pushWaiting(_ event: KafkaConsumerEvent) -> Bool {
        while slots.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if state.withLock({ $0.finished }) { return false }
        }
        return push(event, holdsSlot: true)
    }

    /// Hands over an event without waiting for a slot.
    @discardableResult
    func pushImmediately(_ event: KafkaConsumerEvent) -> Bool {
        push(event, holdsSlot: false)
    }

    private func push(_ event: KafkaConsumerEvent, holdsSlot: Bool) -> Bool {
        let action = state.withLock { state -> (accepted: Bool, waiter: CheckedContinuation<KafkaConsumerEvent?, Never>?) in
            guard !state.finished else { return (false, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (true, waiter)
            }
            state.items.append((event, holdsSlot))
            return (true, nil)
        }
        if let waiter = action.waiter {
            if holdsSlot { slots.signal() }
            waiter.resume(returning: event)
        } else if !action.accepted, holdsSlot {
            slots.signal()
        }
        return action.accepted
    }

    /// The next event, or `nil` once finished and drained, or when the task is cancelled.
    func next() async -> KafkaConsumerEvent? {
        if let ready = state.withLock({ take(from: &$0) }) { return ready }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> KafkaConsumerEvent?? in
                    if let ready = take(from: &state) { return ready }
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }?.resume(returning: nil)
        }
    }

    /// `.some(event)` when one is ready, `.some(nil)` when finished and drained, `nil` to wait.
    private func take(from state: inout State) -> KafkaConsumerEvent?? {
        guard !state.items.isEmpty else { return state.finished ? .some(nil) : nil }
        let item = state.items.removeFirst()
        if item.holdsSlot { slots.signal() }
        return .some(item.event)
    }

    /// Ends the sequence after what is buffered; wakes a waiting iterator and the poll thread.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<KafkaConsumerEvent?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.items.isEmpty ? state.waiter : nil
        }
        waiter?.resume(returning: nil)
    }

    /// Gives back the slots of batches nobody took: libdispatch traps when a semaphore is released below its
    /// initial value (a consumer dropped with batches still buffered, e.g. `otppool tail --limit`).
    deinit {
        let held = state.withLock { state in state.items.filter(\.holdsSlot).count }
        for _ in 0..<held { slots.signal() }
    }
}
