import Foundation
import PassmailCLI

// Thin on purpose: everything testable lives in PassmailCLI.
let status = await PassmailMain.main()
exit(status)
