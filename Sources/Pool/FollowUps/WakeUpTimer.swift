import Dispatch
import Foundation
import Synchronization

/// One timer for the whole tier consumer: it wakes at the earliest armed time and calls `onWake`,
/// which arms it again for the next time wanted.
///
/// It is a Dispatch timer, so no task sleeps per follow-up and none of the cooperative pool's
/// threads waits; `onWake` runs on the timer's own queue and must not block.
final class WakeUpTimer: Sendable {
    /// The source lives in the lock: Dispatch does not mark its sources `Sendable` on every platform.
    private struct State {
        let source: any DispatchSourceTimer
        var armedAt: Int64?
        var started = false
        var stopped = false
    }

    private let state: Mutex<State>

    /// Creates a timer that fires nothing until `start` and `arm`.
    init(label: String) {
        state = Mutex(State(source: DispatchSource.makeTimerSource(queue: DispatchQueue(label: label))))
    }

    /// Installs the wake-up handler, called at (or just after) each armed time. Call it once.
    func start(onWake: @escaping @Sendable () -> Void) {
        state.withLock { state in
            guard !state.started, !state.stopped else { return }
            state.source.setEventHandler { [weak self] in
                guard let self else { return }
                let running = self.state.withLock { state in
                    state.armedAt = nil
                    return !state.stopped
                }
                if running { onWake() }
            }
            state.started = true
            state.source.resume()
        }
    }

    /// Makes the timer fire at `deadline` (milliseconds since the epoch) unless it is armed earlier.
    func arm(at deadline: Int64?) {
        guard let deadline else { return }
        state.withLock { state in
            guard !state.stopped, state.armedAt.map({ deadline < $0 }) ?? true else { return }
            state.armedAt = deadline
            let delay = max(deadline - Date().epochMilliseconds, 0)
            state.source.schedule(deadline: .now() + .milliseconds(Int(delay)), leeway: .milliseconds(1))
        }
    }

    /// Stops for good: nothing fires after this (except a wake-up already running).
    func stop() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            // A suspended source must be resumed before it is cancelled and released.
            if !state.started { state.source.resume() }
            state.source.cancel()
        }
    }

    deinit {
        stop()
    }
}
