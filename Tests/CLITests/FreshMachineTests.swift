import Foundation
import XCTest
import TestSupport

/// README's two commands on a fresh Debian machine: `script/bootstrap` is what makes
/// `script/demo` and `script/test` work there. These tests run it against a stand-in
/// `dpkg-query`, `id`, `apt-get` and `swift`, so "nothing installed" and "not root"
/// can be tried on any machine without touching it.
final class FreshMachineTests: XCTestCase {
    func testANonRootUserOnABareMachineGetsTheExactAptLineAndBootstrapStops() throws {
        let machine = try FakeMachine(installed: [], uid: 1000)
        let r = try machine.bootstrap()
        XCTAssertEqual(r.status, 69, "EX_UNAVAILABLE, so script/demo and script/test stop: \(r.stderr)")
        let line = try XCTUnwrap(r.stderr.split(separator: "\n").first { $0.contains("apt-get install") }, r.stderr)
        XCTAssertTrue(line.hasPrefix("  sudo apt-get update && sudo apt-get install -y --no-install-recommends "), String(line))
        let named = line.split(separator: " ").drop { $0 != "--no-install-recommends" }.dropFirst().map(String.init)
        XCTAssertEqual(named, try bootstrapPackages(), "every package bootstrap needs, in its order, nothing else")
        XCTAssertEqual(machine.aptCalls, [], "a non-root user's bootstrap must not run apt-get")
        XCTAssertEqual(r.stdout, "", "diagnostics go to stderr")
    }

    func testRootOnABareMachineGetsExactlyTheMissingPackagesInstalled() throws {
        let packages = try bootstrapPackages()
        let machine = try FakeMachine(installed: Set(packages.dropFirst(2)), uid: 0)
        let r = try machine.bootstrap()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(machine.aptCalls.count, 2, "apt-get update, then one install: \(machine.aptCalls)")
        XCTAssertTrue(machine.aptCalls.first?.hasPrefix("update") ?? false, "\(machine.aptCalls)")
        XCTAssertEqual(machine.aptCalls.last, "install -y -q --no-install-recommends \(packages.prefix(2).joined(separator: " "))")
    }

    func testAMachineWithEverythingInstalledIsLeftAlone() throws {
        let machine = try FakeMachine(installed: Set(try bootstrapPackages()), uid: 1000)
        let r = try machine.bootstrap()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(machine.aptCalls, [])
    }

    func testWithoutSwiftOnThePathBootstrapSaysWhereToGetIt() throws {
        if ["/usr/bin/swift", "/bin/swift"].contains(where: FileManager.default.isExecutableFile(atPath:)) {
            throw XCTSkip("swift is installed in /usr/bin here, so it cannot be taken off PATH")
        }
        let machine = try FakeMachine(installed: Set(try bootstrapPackages()), uid: 1000, swift: false)
        let r = try machine.bootstrap()
        XCTAssertEqual(r.status, 69)
        XCTAssertTrue(r.stderr.contains("swift not found on PATH"), r.stderr)
    }

    /// script/demo builds passmail into .build/release, which is not on PATH: the "Open it with:
    /// passmail ..." lines and README's `passmail init` would answer "command not found".
    func testDemoSaysWhereTheBuiltPassmailIsAndHowToPutItOnPath() throws {
        let machine = try FakeMachine(installed: Set(try bootstrapPackages()), uid: 1000)
        let repo = machine.dir.file("clone")
        for name in ["bootstrap", "demo"] {
            let copy = repo.appendingPathComponent("script/\(name)")
            try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: TestPaths.packageRoot.appendingPathComponent("script/\(name)"), to: copy)
        }
        let built = repo.appendingPathComponent(".build/release/passmail")
        try FileManager.default.createDirectory(at: built.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho \"passmail $*\"\n".utf8).write(to: built)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: built.path)

        let r = try runProcess(URL(fileURLWithPath: "/bin/sh"), [repo.appendingPathComponent("script/demo").path],
                               environment: ["PATH": machine.dir.file("bin").path + ":/usr/bin:/bin"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "passmail demo demo-workspace\n", "the built binary opens the demo")
        XCTAssertTrue(r.stderr.contains(built.path), "names the binary: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("export PATH=\"\(built.deletingLastPathComponent().path):$PATH\""), r.stderr)
    }

    /// A tool a test looks for (and skips without) must be one that bootstrap installs: on
    /// CI's fresh machine a skip would silently turn that test off.
    func testBootstrapInstallsEveryPackageTheTestsAskFor() throws {
        let packages = Set(try bootstrapPackages())
        var asked: [String: String] = [:]   // package -> where
        let tests = TestPaths.packageRoot.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { ["swift", "py"].contains($0.pathExtension) }
        let requireTool = try NSRegularExpression(pattern: #"requireTool\("[^"]+", package: "([^"]+)"\)"#)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let name = file.lastPathComponent
            for m in requireTool.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                asked[String(text[Range(m.range(at: 1), in: text)!])] = name
            }
            if text.contains("\"/usr/bin/python3\"") { asked["python3"] = name }
            if text.contains("\"/usr/bin/tmux\"") { asked["tmux"] = name }
            if text.contains("import aiosmtpd") || text.contains("from aiosmtpd") { asked["python3-aiosmtpd"] = name }
        }
        XCTAssertFalse(asked.isEmpty, "found no tool lookups under \(tests.path)")
        for (package, file) in asked.sorted(by: { $0.key < $1.key }) {
            XCTAssertTrue(packages.contains(package), "\(file) needs Debian's \(package), which script/bootstrap does not install")
        }
    }
}

/// The PACKAGES list of script/bootstrap, in order.
private func bootstrapPackages() throws -> [String] {
    let script = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("script/bootstrap"), encoding: .utf8)
    guard let start = script.range(of: "PACKAGES=\""),
          let end = script[start.upperBound...].firstIndex(of: "\"") else {
        throw XCTSkip("script/bootstrap has no PACKAGES=\"...\" list")
    }
    return script[start.upperBound..<end].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
}

/// A folder of stand-in commands put first on PATH: `dpkg-query` answers from `installed`,
/// `id -u` prints `uid`, `apt-get` records its arguments instead of installing.
private final class FakeMachine {
    let dir = TemporaryDirectory("fresh-machine")
    var aptLog: URL { dir.file("apt-calls") }

    init(installed: Set<String>, uid: Int, swift: Bool = true) throws {
        dir.write("installed", installed.sorted().joined(separator: "\n") + "\n")
        try tool("dpkg-query", """
            #!/bin/sh
            # dpkg-query -W -f=FORMAT PACKAGE
            for last; do :; done
            grep -qx "$last" '\(dir.file("installed").path)' && printf 'install ok installed' && exit 0
            echo "dpkg-query: no packages found matching $last" >&2; exit 1
            """)
        try tool("id", "#!/bin/sh\necho \(uid)\n")
        try tool("apt-get", "#!/bin/sh\necho \"$*\" >> '\(aptLog.path)'\n")
        if swift { try tool("swift", "#!/bin/sh\necho 'Swift version 6.0'\n") }
    }

    private func tool(_ name: String, _ text: String) throws {
        let url = dir.write("bin/\(name)", text + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    var aptCalls: [String] {
        ((try? String(contentsOf: aptLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Runs script/bootstrap with only the stand-ins and the system's basic tools on PATH.
    func bootstrap() throws -> ProcessResult {
        try runProcess(URL(fileURLWithPath: "/bin/sh"),
                       [TestPaths.packageRoot.appendingPathComponent("script/bootstrap").path],
                       environment: ["PATH": dir.file("bin").path + ":/usr/bin:/bin"])
    }
}
