// swift-tools-version: 6.2
import PackageDescription

/// Our own targets build in Swift 6 mode with complete strict concurrency and no warnings.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "otp-pool",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "otppool", targets: ["otppool"]),
        .executable(name: "kafka-bench-c", targets: ["kafka-bench-c"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // MARK: C libraries (apt: librdkafka-dev, libpq-dev)
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        // MARK: Thin wrappers: the only modules that import the C libraries
        .target(
            name: "Kafka",
            dependencies: [
                "Basics",
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "Basics",
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),

        // MARK: Suppliers: HTTP clients of the SMS suppliers, and the simulator that stands in for them
        .target(
            name: "Suppliers",
            dependencies: [
                "Basics",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                // Metrics: how long calls wait for the supplier's rate limit (the console's supplier health).
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        /// Small shared pieces every layer uses (Duration units, civil dates, FNV-1a, SplitMix64); no dependencies.
        .target(name: "Basics", swiftSettings: strict),

        // MARK: Domain: pure, no broker, database or supplier client (tested without infrastructure)
        .target(
            name: "Activation",
            dependencies: ["Basics"],
            swiftSettings: strict
        ),

        /// The escalation domain, pure: rules, evidence records and their merging (no database, no broker).
        .target(
            name: "Escalation",
            dependencies: [
                "Activation",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),

        // MARK: Workers: the activation worker's Kafka building blocks (in-flight progress, durable follow-ups)
        .target(
            name: "Pool",
            dependencies: [
                "Basics",
                "Kafka",
                "Postgres",
                "Activation",
                "Escalation",
                "Suppliers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        /// The supplier simulator: an HTTP server speaking both supplier protocols. Workers never link it.
        .target(
            name: "SupplierSimulator",
            dependencies: [
                "Basics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // NIOCore: the connection, to drop it without a reply (the reset fault).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),

        /// Malformed and hostile requests and commands, generated deterministically (tests, `otppool bench hostile`).
        .target(
            name: "HostileInput",
            dependencies: ["Basics", "Activation"],
            swiftSettings: strict
        ),

        /// The operator console: server-rendered pages over the Pool's read queries, mounted on the admin server.
        .target(
            name: "Console",
            dependencies: [
                "Activation",
                "Escalation",
                "Kafka",
                "Pool",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: Process wiring: settings (swift-configuration), admin server, metrics and logging backends
        .target(
            name: "Runtime",
            dependencies: [
                "Activation",
                "Escalation",
                "Kafka",
                "Pool",
                "Postgres",
                "Suppliers",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // MARK: Executables
        .executableTarget(
            name: "otppool",
            dependencies: [
                "Basics",
                "Kafka",
                "Activation",
                "Escalation",
                "Pool",
                "Postgres",
                "Runtime",
                "Console",
                "HostileInput",
                "Suppliers",
                "SupplierSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict,
            // jemalloc in place of glibc's malloc (linked before libc, so every allocation of the process goes to it):
            // a saturated worker spent a fifth of its CPU in glibc's malloc and free, and about 10% less CPU per
            // activation with jemalloc (README, "Benchmarks and figures"). scripts/deps.sh installs libjemalloc-dev.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        /// Raw librdkafka in C: the baseline `otppool bench kafka` compares the Swift layer against.
        .executableTarget(
            name: "kafka-bench-c",
            dependencies: ["CRdKafka"],
            cSettings: [.unsafeFlags(["-O2"])],
            linkerSettings: [.linkedLibrary("rdkafka")]
        ),

        // MARK: Tests
        /// Helpers shared by the test targets: waiting with deadlines, unique names, the test database, Kafka clients.
        .target(
            name: "TestSupport",
            dependencies: ["Kafka", "Postgres", .product(name: "Logging", package: "swift-log")],
            path: "Sources/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "BasicsTests",
            dependencies: ["Basics"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: ["Kafka", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["Postgres", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SuppliersTests",
            dependencies: ["Basics", "Suppliers", "SupplierSimulator"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ActivationTests",
            dependencies: ["Activation", "Basics", "HostileInput"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EscalationTests",
            dependencies: ["Escalation", "Activation"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "Pool", "Escalation", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "Pool", "Activation", "Escalation", "Kafka",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PoolTests",
            dependencies: [
                "Basics",
                "Pool", "Kafka", "Postgres", "Activation", "Escalation", "HostileInput", "Suppliers", "SupplierSimulator", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        /// The command line: argument validation and rendering (`@testable import otppool`; no infrastructure).
        .testTarget(
            name: "OTPPoolTests",
            dependencies: [
                "otppool", "Pool", "Activation", "Escalation", "Kafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SupplierSimulatorTests",
            dependencies: [
                "Basics",
                "Suppliers",
                "SupplierSimulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
    ]
)
