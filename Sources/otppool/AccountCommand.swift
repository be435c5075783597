import ArgumentParser
import Foundation
import Runtime
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

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.account")
        try await settings.withStore(applicationName: "otppool-account", logger: logger) { store in
            if let balanceMinor {
                _ = try await store.upsertAccount(Account(id: id, email: email ?? "\(id)@example.com", balanceMinor: balanceMinor, currency: currency))
            }
            guard let account = try await store.account(id: id) else {
                throw ValidationError("no account '\(id)'; create it with --balance-minor")
            }
            print("\(account.id)  balance \(account.balanceMinor)  held \(account.heldMinor)  available \(account.availableMinor) \(account.currency) (minor units)")
        }
    }
}
