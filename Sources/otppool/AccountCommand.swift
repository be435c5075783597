import ArgumentParser
import Foundation
import Logging
import Pool
import Postgres

/// `otppool account`: create or fund an account, or show its balance.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Create or update an account's balance (with --balance-minor), or show it.")

    @Argument(help: "Account ID.")
    var id: String

    @Option(help: "Set the balance to this many minor units (creates the account when missing).")
    var balanceMinor: Int64?

    @Option(help: "Contact email (for escalations).")
    var email: String?

    @Option(help: "Currency of the account.")
    var currency: String = "USD"

    @Option(help: "PostgreSQL URL or conninfo (default: POSTGRES_URL).")
    var postgresURL: String?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger("otppool.account")
        guard let url = postgresURL ?? ProcessInfo.processInfo.environment["POSTGRES_URL"], !url.isEmpty else {
            throw ValidationError("no database given: pass --postgres-url or set POSTGRES_URL")
        }
        let pool = PostgresPool(configuration: .init(connection: PostgresConfiguration(url, applicationName: "otppool-account"), maximumConnections: 1), logger: logger)
        let store = ActivationStore(pool: pool, logger: logger)
        do {
            _ = try await store.migrate()
            if let balanceMinor {
                _ = try await store.upsertAccount(Account(id: id, email: email ?? "\(id)@example.com", balanceMinor: balanceMinor, currency: currency))
            }
            guard let account = try await store.account(id: id) else {
                throw ValidationError("no account '\(id)'; create it with --balance-minor")
            }
            print("\(account.id)  balance \(account.balanceMinor)  held \(account.heldMinor)  available \(account.availableMinor) \(account.currency) (minor units)")
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }
}
