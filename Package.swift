// swift-tools-version:6.0
import PackageDescription

/// passmail: personal event passes, emailed in bulk, resumable after any crash.
///
/// C libraries come from Debian through one `.systemLibrary` target each; every
/// Swift target above them is named after a concept of the domain.
let package = Package(
    name: "passmail",
    products: [
        .executable(name: "passmail", targets: ["passmail"]),
        .executable(name: "passmail-bench", targets: ["Benchmarks"]),
    ],
    targets: [
        // MARK: C libraries (Debian packages, found with pkg-config)
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),

        // MARK: The domain
        .target(name: "Core"),
        .target(name: "Roster", dependencies: ["Core", "CSQLite"]),
        .target(name: "Passes", dependencies: ["Core", "CCairo", "CQREncode", "CCrypto"]),
        .target(name: "Mail", dependencies: ["Core", "CCurl"]),
        .target(name: "Engine", dependencies: ["Core", "Roster", "Passes", "Mail"]),
        .target(name: "TUI", dependencies: ["Core", "Roster", "Passes", "Mail", "Engine", "CNcurses"]),
        .target(name: "PassmailCLI", dependencies: ["Core", "Roster", "Passes", "Mail", "Engine", "TUI"]),
        .executableTarget(name: "passmail", dependencies: ["PassmailCLI"]),
        .executableTarget(name: "Benchmarks", dependencies: ["Core", "Roster", "Passes", "Mail", "Engine", "TUI", "PassmailCLI"]),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["Core"], path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["Core", "TestSupport"]),
        .testTarget(name: "RosterTests", dependencies: ["Core", "Roster", "TestSupport"]),
        .testTarget(name: "PassesTests", dependencies: ["Core", "Passes", "TestSupport"]),
        .testTarget(name: "MailTests", dependencies: ["Core", "Mail", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Core", "Roster", "Passes", "Mail", "Engine", "TestSupport"]),
        .testTarget(name: "TUITests", dependencies: ["Core", "Roster", "Engine", "TUI", "TestSupport"],
                    exclude: ["__Snapshots__"]),
        .testTarget(name: "CLITests", dependencies: ["Core", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
