import XCTest
import Core
import TestSupport
@testable import Mail

/// Templates as an organiser writes them: fields, optional sections, strict errors that name file and line.
final class MailTemplatesTests: XCTestCase {
    let zoe = Attendee(id: "a17", firstName: "Zoë", lastName: "Müller", email: "zoe@example.org", company: "",
                       passType: "Speaker", fields: [.init(name: "T-shirt size", value: "M"), .init(name: "Dietary", value: "")])

    func event() -> PassmailConfig.Event {
        var e = PassmailConfig().event
        e.id = "rc27"; e.name = "RustConf <2027>"; e.date = "12 March 2027"; e.venue = "Hall 4"
        return e
    }

    func testRendersColumnsImportedFieldsEventAndPass() throws {
        let t = try MailTemplates(
            subject: "Your {{pass.type}} pass for {{event.name}}",
            text: "Dear {{first_name}} {{last_name}} ({{name}}, {{email}}),\nsize {{t_shirt_size}} / {{T-shirt size}}, code {{pass.code}} at {{event.venue}} on {{event.date}} [{{id}}]\n",
            html: "<p>{{event.name}} &amp; {{{event.name}}}</p>", event: event())
        let mail = try t.render(zoe, passCode: "K7Q-4PX2")
        XCTAssertEqual(mail.subject, "Your Speaker pass for RustConf <2027>")
        XCTAssertEqual(mail.text, "Dear Zoë Müller (Zoë Müller, zoe@example.org),\nsize M / M, code K7Q-4PX2 at Hall 4 on 12 March 2027 [a17]\n")
        XCTAssertEqual(mail.html, "<p>RustConf &lt;2027&gt; &amp; RustConf <2027></p>")
    }

    func testOptionalFieldInASectionIsFineWhenEmpty() throws {
        let t = try MailTemplates(subject: "Hi", text: "Hello {{first_name}}{{#company}} from {{company}}{{/company}}{{^company}} (no company){{/company}}.\n{{#dietary}}Diet: {{dietary}}{{/dietary}}")
        XCTAssertEqual(t.check(zoe, passCode: "X"), [])
        XCTAssertEqual(try t.render(zoe, passCode: "X").text, "Hello Zoë (no company).\n")
        var acme = zoe; acme.company = "ACME"
        XCTAssertEqual(try t.render(acme, passCode: "X").text, "Hello Zoë from ACME.\n")
    }

    func testEmptyAndAbsentFieldsAreProblemsNamingTemplateLineAndField() throws {
        let t = try MailTemplates(subject: "For {{company}}", text: "Hi {{first_name}},\n\nSize: {{tshirt_size}}\nDiet: {{Dietary}}\n",
                                  html: "<p>\n{{nickname}}</p>", textName: "templates/pass.txt.mustache", htmlName: "templates/pass.html.mustache")
        let problems = t.check(zoe, passCode: "X")
        XCTAssertEqual(problems.map { "\($0.template):\($0.line):\($0.field)" }, [
            "subject:1:company", "templates/pass.txt.mustache:3:tshirt_size",
            "templates/pass.txt.mustache:4:Dietary", "templates/pass.html.mustache:2:nickname",
        ])
        XCTAssertTrue(problems[0].reason.contains("empty for this attendee"), problems[0].reason)
        XCTAssertTrue(problems[1].reason.contains("did you mean {{t_shirt_size}}"), problems[1].reason)
        XCTAssertEqual(problems[0].attendeeID, "a17")
        XCTAssertThrowsError(try t.render(zoe, passCode: "X")) { error in
            let e = error as! TemplateRenderError
            XCTAssertEqual(e.problems.count, 4)
            XCTAssertEqual(e.exitCode, .dataError)
            XCTAssertTrue(e.description.hasPrefix("subject:1: {{company}}: empty"), e.description)
        }
    }

    func testSyntaxErrorsNameTemplateAndLine() {
        func error(_ text: String) -> String {
            do { _ = try MailTemplates(subject: "s", text: text, textName: "templates/pass.txt.mustache"); return "no error" } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(error("a\n{{#company}}\nb\n"), "templates/pass.txt.mustache:2: {{#company}} is never closed with {{/company}}")
        XCTAssertEqual(error("a\nb {{first_name\n"), "templates/pass.txt.mustache:2: tag {{ is never closed with }}")
        XCTAssertEqual(error("{{#a}}\n{{/b}}"), "templates/pass.txt.mustache:2: {{/b}} does not match {{#a}} opened on line 1")
        XCTAssertEqual(error("\n\n{{/a}}"), "templates/pass.txt.mustache:3: {{/a}} closes a section that was never opened")
        XCTAssertEqual(error("x {{> footer}}"), "templates/pass.txt.mustache:1: partials ({{> footer}}) are not supported; put the text in the template")
        XCTAssertEqual(error("{{ }}"), "templates/pass.txt.mustache:1: empty tag: put a field name between the braces")
        XCTAssertTrue(error("{{{name}}").contains("never closed"))
        XCTAssertThrowsError(try MailTemplates(subject: "Hi {{#x}}", text: "")) {
            XCTAssertEqual("\($0)", "passmail.toml [templates] subject:1: {{#x}} is never closed with {{/x}}")
        }
    }

    func testSubjectIsOneLineEvenWhenAFieldHoldsNewlines() throws {
        var evil = zoe
        evil.firstName = "Zoë\r\nBcc: victim@example.org"
        let t = try MailTemplates(subject: "Hello {{first_name}}\n", text: "x")
        XCTAssertEqual(try t.render(evil, passCode: "X").subject, "Hello Zoë Bcc: victim@example.org")
    }

    func testSetDelimiterAndComments() throws {
        let t = try MailTemplates(subject: "s", text: "{{! a note for the organiser }}\n{{=<% %>=}}\nHi <% first_name %>, {{literal}}\n")
        XCTAssertEqual(try t.render(zoe, passCode: "X").text, "Hi Zoë, {{literal}}\n")
    }

    func testSnakeCaseNames() {
        XCTAssertEqual(TemplateContext.snakeCase("T-shirt size"), "t_shirt_size")
        XCTAssertEqual(TemplateContext.snakeCase("  Société / Org.  "), "societe_org")
        XCTAssertEqual(TemplateContext.snakeCase("Dietary (vegan?)"), "dietary_vegan")
    }

    func testFingerprintChangesWithAnyTemplate() throws {
        let a = try MailTemplates(subject: "s", text: "t", html: nil)
        let b = try MailTemplates(subject: "s", text: "t", html: "")
        let c = try MailTemplates(subject: "s", text: "t ", html: nil)
        XCTAssertEqual(a.fingerprint, try MailTemplates(subject: "s", text: "t", html: nil).fingerprint)
        XCTAssertEqual(a.fingerprint.count, 16)
        XCTAssertNotEqual(a.fingerprint, b.fingerprint)
        XCTAssertNotEqual(a.fingerprint, c.fingerprint)
    }

    func testLoadsFromWorkspaceAndNamesMissingFile() throws {
        let dir = TemporaryDirectory()
        dir.write("templates/pass.txt.mustache", "\u{FEFF}Hello {{first_name}}\n")
        var config = PassmailConfig()
        config.templates.subject = "Pass for {{event.name}}"
        let ws = Workspace(root: dir.url, config: config)
        let t = try MailTemplates(workspace: ws)
        XCTAssertEqual(try t.render(zoe, passCode: "X").text, "Hello Zoë\n")
        config.templates.html = "templates/missing.html"
        XCTAssertThrowsError(try MailTemplates(workspace: Workspace(root: dir.url, config: config))) {
            XCTAssertTrue("\($0)".contains("missing.html: not found (set by [templates] html"), "\($0)")
        }
    }

    /// Random template soup never crashes the parser or the renderer: it compiles or says why.
    func testRandomTemplatesCompileOrFailCleanly() {
        var rng = SystemRandomNumberGenerator()
        let pool = ["{{", "}}", "{{{", "}}}", "{{#", "{{^", "{{/", "{{!", "{{=", "=}}", "{{&", "{{>", "a", "company", "first_name",
                    ".", " ", "\n", "\r\n", "\t", "é", "<% %>", "<%", "%>", "event.name", "{", "}", "="]
        var compiled = 0
        for _ in 0..<3000 {
            let source = (0..<Int.random(in: 0...14, using: &rng)).map { _ in pool.randomElement(using: &rng)! }.joined()
            do {
                let t = try MailTemplates(subject: "s", text: source, html: source)
                _ = t.check(zoe, passCode: "X")
                _ = try? t.render(zoe, passCode: "X")
                compiled += 1
            } catch let e as MustacheSyntaxError {
                XCTAssertGreaterThanOrEqual(e.line, 1)
                XCTAssertFalse(e.reason.isEmpty)
            } catch {
                XCTFail("unexpected error \(error) for \(source.debugDescription)")
            }
        }
        XCTAssertGreaterThan(compiled, 100)
    }
}
