extension PostgresPool {
    /// Takes a working connection, opening one if there is a free slot, waiting otherwise.
    func checkout() async throws -> PostgresConnection {
        var lease: PoolStateMachine.Lease
        switch state.withLock({ $0.checkout() }) {
        case .lease(let granted): lease = granted
        case .fail(let error): throw error
        case .wait: lease = try await waitForLease()
        }
        while true {
            switch lease {
            case .connection(let connection):
                if connection.isUsable && !connection.hasInputWhileIdle() { return connection }
                logger.info("replacing a PostgreSQL connection the server closed", metadata: ["postgres.connection.id": "\(connection.id)"])
                connection.closeInBackground()
                lease = .permit  // keep the slot and open a fresh connection in it
            case .permit:
                do {
                    return try await PostgresConnection.connect(configuration.connection, logger: logger)
                } catch {
                    if let waiter = state.withLock({ $0.connectFailed() }) {
                        waiter.timer?.cancel()
                        waiter.continuation.resume(returning: .permit)
                    }
                    throw error
                }
            }
        }
    }

    /// Returns a connection; a broken one, or one left inside a transaction, is closed instead.
    func release(_ connection: PostgresConnection) {
        let usable = connection.isUsable
        switch state.withLock({ $0.release(connection, usable: usable) }) {
        case .none:
            break
        case .close(let connection):
            connection.closeInBackground()
        case .hand(let waiter, let lease, let closing):
            closing?.closeInBackground()
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: lease)
        }
    }

    private func waitForLease() async throws -> PoolStateMachine.Lease {
        let id = state.withLock { $0.makeWaiterID() }
        let timeout = configuration.checkoutTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let timer = Task { [self] in
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    guard let waiter = state.withLock({ $0.removeWaiter(id: id) }) else { return }
                    waiter.continuation.resume(throwing: PostgresError(
                        code: .poolTimeout,
                        message: "no PostgreSQL connection became free within \(timeout) "
                            + "(\(configuration.maximumConnections) in use); raise maximumConnections or "
                            + "checkoutTimeout, or shorten the work done while holding a connection"
                    ))
                }
                let waiter = PoolStateMachine.Waiter(
                    id: id, continuation: continuation, timer: timer, urgent: Self.priority == .urgent)
                let immediate = state.withLock { $0.enqueue(waiter, cancelled: Task.isCancelled) }
                switch immediate {
                case nil:
                    break
                case .lease(let lease):
                    timer.cancel()
                    continuation.resume(returning: lease)
                case .fail(let error):
                    timer.cancel()
                    continuation.resume(throwing: error)
                case .wait:
                    preconditionFailure("enqueue registers the waiter instead of returning .wait")
                }
            }
        } onCancel: {
            if let waiter = state.withLock({ $0.removeWaiter(id: id) }) {
                waiter.timer?.cancel()
                waiter.continuation.resume(throwing: CancellationError())
            }
        }
    }
}
