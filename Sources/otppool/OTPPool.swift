import ArgumentParser

/// The `otppool` command line: every process of the pool is one of its subcommands.
@main
struct OTPPool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otppool",
        abstract: "A worker pool that turns OTP activation requests into outcomes.",
        subcommands: [
            WorkerCommand.self,
            EscalationCommand.self,
            EscalationsCommand.self,
            DeadLettersCommand.self,
            SubmitCommand.self,
            CommandCommand.self,
            TailCommand.self,
            StatusCommand.self,
            AccountCommand.self,
            BrokerCommand.self,
            BenchCommand.self,
            MigrateCommand.self,
            SupplierSimCommand.self,
        ]
    )
}
