import XCTest
import TestSupport

/// The conventions every command shares: help, version, usage errors, exit codes.
final class CommandLineTests: XCTestCase {
    func testHelpListsEveryCommandOnStdout() throws {
        let r = try passmail(["--help"])
        XCTAssertEqual(r.status, 0)
        for command in ["init", "demo", "import", "list", "export", "pass", "verify", "preview", "check",
                        "send", "resume", "runs", "retry-failed", "cancel"] {
            XCTAssertTrue(r.stdout.contains("\n  \(command) "), "help misses \(command)")
        }
        XCTAssertEqual(r.stderr, "")
    }

    func testEveryCommandHasHelp() throws {
        for command in ["init", "demo", "import", "list", "export", "pass", "verify", "preview", "check",
                        "send", "resume", "runs", "retry-failed", "cancel", "tui"] {
            let r = try passmail([command, "--help"])
            XCTAssertEqual(r.status, 0, command)
            XCTAssertTrue(r.stdout.contains("USAGE: passmail \(command)"), command)
            XCTAssertTrue(r.stdout.contains("--workspace"), command)
        }
    }

    func testVersion() throws {
        let r = try passmail(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("passmail "))
    }

    func testUnknownCommandSuggestsTheNearestAndExits64() throws {
        let r = try passmail(["lsit"])
        XCTAssertEqual(r.status, 64)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("did you mean `list`?"), r.stderr)
    }

    func testUnknownOptionExits64() throws {
        let r = try passmail(["init", "--frobnicate"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("unknown option --frobnicate"), r.stderr)
    }

    func testCommandOutsideAWorkspaceSaysHowToCreateOne() throws {
        let dir = TemporaryDirectory()
        let r = try passmail(["list"], workspace: dir.url)
        XCTAssertEqual(r.status, 66, r.stderr)
        XCTAssertTrue(r.stderr.contains("not a passmail workspace"), r.stderr)
        XCTAssertTrue(r.stderr.contains("passmail init"), r.stderr)
    }
}
