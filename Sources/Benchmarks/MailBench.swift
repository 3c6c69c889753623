import Foundation
import Core
import Mail

/// Benchmark rows for the Mail module.
///
/// Composition: render the default templates and serialise a MIME message with
/// a ~40 KB PDF attached. SMTP: messages per second to a local aiosmtpd
/// (Tests/Servers/smtp_server.py) over one and over four reused connections.
func mailBenchmarks() -> [BenchRow] {
    var rows: [BenchRow] = []
    do { rows.append(try composeRow()); rows.append(try checkRow()) } catch {
        rows.append(BenchRow(area: "mail", measure: "compose benchmark failed", value: "\(error)", target: "-", met: false))
    }
    rows += smtpRows()
    return rows
}

private let benchPDF: Data = {
    var g = SystemRandomNumberGenerator()
    var d = Data("%PDF-1.7\n".utf8)
    for _ in 0..<(40 * 1024 / 8) { withUnsafeBytes(of: g.next() as UInt64) { d.append(contentsOf: $0) } }
    return d + Data("\n%%EOF\n".utf8)
}()

private func benchMessage(_ n: Int, subject: String, text: String, html: String?) -> OutgoingMessage {
    OutgoingMessage(attendeeID: "a\(n)", customID: "rbench.a\(n)", messageID: "rbench.a\(n)@example.org",
                    from: Mailbox(name: "The Organisers", address: "organisers@example.org"),
                    to: Mailbox(name: "Zoë Müller \(n)", address: "attendee.\(n)@example.org"),
                    subject: subject, text: text, html: html,
                    attachments: [Attachment(fileName: "Pass - Zoë Müller \(n).pdf", data: benchPDF)])
}

private func composeRow() throws -> BenchRow {
    let templates = try MailTemplates(
        subject: "Your pass for {{event.name}}, {{first_name}}",
        text: "Hello {{first_name}},\n\nHere is your {{pass_type}} pass for {{event.name}}.\n{{#company}}From {{company}}.\n{{/company}}Code {{pass.code}}.\n",
        html: "<p>Hello {{first_name}},</p><p>Your <b>{{pass_type}}</b> pass for {{event.name}}.</p>{{#company}}<p>{{company}}</p>{{/company}}<p>{{pass.code}}</p>")
    var i = 0
    var bytes = 0
    let samples = try measure(iterations: 400) {
        let a = Attendee(id: "a\(i)", firstName: "Zoë", lastName: "Müller", email: "attendee.\(i)@example.org",
                         company: i % 2 == 0 ? "ACME" : "", passType: "Speaker")
        let mail = try templates.render(a, passCode: "K7Q-4PX2")
        bytes = try MIMEWriter.serialize(benchMessage(i, subject: mail.subject, text: mail.text, html: mail.html)).count
        i += 1
    }
    let perSecond = 1 / median(samples)
    return BenchRow(area: "mail", measure: "messages composed per second (templates + MIME, \(bytes / 1024) KB with a 40 KB PDF), median",
                    value: String(format: "%.0f msg/s (%@ each)", perSecond, ms(median(samples))), target: "≥ 500 msg/s", met: perSecond >= 500)
}

private func checkRow() throws -> BenchRow {
    let templates = try MailTemplates(
        subject: "Your pass for {{event.name}}, {{first_name}}",
        text: "Hello {{first_name}} {{last_name}},\nYour {{pass_type}} pass.\n{{#company}}From {{company}}.\n{{/company}}Size {{t_shirt_size}}. Code {{pass.code}}.\n",
        html: "<p>Hello {{first_name}}</p>{{#company}}<p>{{company}}</p>{{/company}}<p>{{pass.code}}</p>")
    let attendees = (0..<100_000).map {
        Attendee(id: "a\($0)", firstName: "First\($0)", lastName: "Last", email: "a\($0)@example.org", company: $0 % 3 == 0 ? "" : "ACME",
                 passType: "Attendee", fields: [.init(name: "T-shirt size", value: $0 % 1000 == 0 ? "" : "M")])
    }
    var problems = 0
    let samples = measure(iterations: 3) {
        problems = 0
        for a in attendees { problems += templates.check(a, passCode: "K7Q-4PX2").count }
    }
    return BenchRow(area: "mail", measure: "strict template check of 100,000 attendees (\(problems) problems found), median",
                    value: String(format: "%.2f s", median(samples)), target: "< 3 s", met: median(samples) < 3)
}

/// Starts Tests/Servers/smtp_server.py on a free port; stdin closing stops it.
private final class BenchSMTPServer {
    let process = Process()
    let stdin = Pipe()
    var port = 0

    init?() {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Servers/smtp_server.py")
        guard FileManager.default.fileExists(atPath: script.path),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return nil }
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-u", script.path, "--port", "0"]
        process.standardOutput = out
        process.standardInput = stdin
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch { return nil }
        var line = Data()
        while true {
            let b = out.fileHandleForReading.readData(ofLength: 1)
            if b.isEmpty || b == Data([0x0A]) { break }
            line.append(b)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let p = Int(text.dropFirst(6)) else { process.terminate(); return nil }
        port = p
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

private final class ResultBox<T>: @unchecked Sendable { var value: T?; init() {} }

private func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached { box.value = await body(); done.signal() }
    done.wait()
    return box.value!
}

private func smtpRows() -> [BenchRow] {
    guard let server = BenchSMTPServer() else {
        return [BenchRow(area: "mail", measure: "SMTP to local aiosmtpd", value: "skipped (python3-aiosmtpd missing)", target: "-", met: nil)]
    }
    defer { server.stop() }
    let messages = (0..<400).map { benchMessage($0, subject: "Your pass", text: "Hello\n", html: "<p>Hello</p>") }
    var rows: [BenchRow] = []
    for (connections, count, target) in [(1, 150, 40.0), (4, 400, 80.0)] {
        let transport = SMTPTransport(settings: .init(host: "127.0.0.1", port: server.port, security: .none,
                                                      heloName: "bench.passmail"), connections: connections)
        let batch = Array(messages.prefix(count))
        let t0 = DispatchTime.now().uptimeNanoseconds
        let sent = runBlocking { () async -> Int in
            await withTaskGroup(of: Int.self) { group in
                for w in 0..<connections {
                    group.addTask {
                        var ok = 0
                        for i in stride(from: w, to: batch.count, by: connections) {
                            if case .sent = await transport.send([batch[i]])[0] { ok += 1 }
                        }
                        return ok
                    }
                }
                var total = 0
                for await n in group { total += n }
                await transport.shutdown()
                return total
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let rate = Double(sent) / seconds
        rows.append(BenchRow(area: "mail", measure: "SMTP to local aiosmtpd, \(connections) connection\(connections == 1 ? "" : "s") (\(sent)/\(count) × 40 KB sent)",
                             value: String(format: "%.0f msg/s", rate), target: String(format: "≥ %.0f msg/s", target),
                             met: sent == count && rate >= target))
    }
    return rows
}
