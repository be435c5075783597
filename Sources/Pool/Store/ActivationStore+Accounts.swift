import Postgres

extension ActivationStore {
    /// Creates an account, or sets the email, balance and currency of an existing one (for tests and the demo).
    ///
    /// The held amount is kept: it belongs to activations in flight.
    /// - Returns: The account as stored.
    /// - Throws: ``PoolStoreError``: `invariantViolated` when the balance is negative or below what is held;
    ///   `database` otherwise.
    @discardableResult
    public func upsertAccount(_ account: Account) async throws -> Account {
        try await run("upsertAccount", requestID: nil) {
            let row = try await pool.query(
                """
                INSERT INTO accounts (id, email, balance_minor, currency) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET email = excluded.email, balance_minor = excluded.balance_minor,
                    currency = excluded.currency, updated_at = now()
                RETURNING \(Account.columns)
                """, [account.id, account.email, account.balanceMinor, account.currency]
            ).single()
            return try Account(row: row)
        }
    }

    /// The account with `id`, with its balance and held amount, or nil.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func account(id: String) async throws -> Account? {
        try await run("account", requestID: nil) {
            try await pool.query("SELECT \(Account.columns) FROM accounts WHERE id = $1", [id])
                .first.map(Account.init(row:))
        }
    }
}
