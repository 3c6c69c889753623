import Foundation
import CCurl

/// One libcurl easy handle: the only place in passmail that touches libcurl's C API.
///
/// Not thread-safe by design: each handle is confined to one connection's
/// serial queue (`CurlWorker`). libcurl keeps the connection open inside the
/// handle, so reusing the handle reuses the SMTP session or HTTPS connection.
final class CurlEasy: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER: libcurl writes into it during `perform`, so its address must never move.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// What the transfer callbacks read from and write to (kept alive during `perform`).
    let io = TransferIO()

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    init() throws {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { throw CurlSetupError(reason: "curl_easy_init failed (out of memory?)") }
        handle = h
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        freeLists()
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Clears options for the next transfer while keeping the live connection (`curl_easy_reset`).
    func reset() {
        curl_easy_reset(handle)
        freeLists()
        io.reset()
        errorBuffer[0] = 0
    }

    func set(_ option: CURLoption, _ value: Int) { _ = ccurl_setopt_long(handle, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = ccurl_setopt_string(handle, option, value) }
    func set(_ option: CURLoption, blob: Data) {
        _ = blob.withUnsafeBytes { ccurl_setopt_blob(handle, option, $0.baseAddress, $0.count) }
    }
    func set(_ option: CURLoption, list: [String]) {
        var l: UnsafeMutablePointer<curl_slist>?
        for item in list { l = curl_slist_append(l, item) }
        if let l { lists.append(l) }
        _ = ccurl_setopt_slist(handle, option, l)
    }
    func setUploadSize(_ n: Int) { _ = ccurl_setopt_offt(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(n)) }
    func setPostSize(_ n: Int) { _ = ccurl_setopt_offt(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(n)) }

    /// Wires the read (upload), write (body), header and debug callbacks to `io`.
    func installCallbacks(upload: Data?) {
        io.upload = upload ?? Data()
        let ctx = Unmanaged.passUnretained(io).toOpaque()
        _ = ccurl_setopt_pointer(handle, CURLOPT_READDATA, ctx)
        _ = ccurl_setopt_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, userdata in
            let io = Unmanaged<TransferIO>.fromOpaque(userdata!).takeUnretainedValue()
            return io.read(into: buffer!, max: size * count)
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, ctx)
        _ = ccurl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, userdata in
            let io = Unmanaged<TransferIO>.fromOpaque(userdata!).takeUnretainedValue()
            io.body.append(UnsafeRawPointer(data!).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, ctx)
        _ = ccurl_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, userdata in
            let io = Unmanaged<TransferIO>.fromOpaque(userdata!).takeUnretainedValue()
            io.headerLines.append(String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self))
            return size * count
        }
        // Server replies (SMTP "550 5.1.1 …") for error messages. Only CURLINFO_HEADER_IN is
        // kept: of what we send, only whether a line began with EHLO/HELO or AUTH is noted
        // (its bytes, which may carry credentials, never reach a string).
        _ = ccurl_setopt_pointer(handle, CURLOPT_DEBUGDATA, ctx)
        _ = ccurl_setopt_debug(handle) { _, type, data, size, userdata in
            guard let data, let userdata else { return 0 }
            let io = Unmanaged<TransferIO>.fromOpaque(userdata).takeUnretainedValue()
            if type == CURLINFO_HEADER_OUT {
                let verb = UnsafeRawBufferPointer(start: data, count: min(size, 5))
                if verb.elementsEqual("EHLO ".utf8) || verb.elementsEqual("HELO ".utf8) { io.greeted = true }
                if verb.elementsEqual("AUTH ".utf8) { io.authenticated = true }
                return 0
            }
            guard type == CURLINFO_HEADER_IN else { return 0 }
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !line.isEmpty {
                // Several lines: after a refused MAIL or RCPT libcurl says QUIT, and its "221 Bye"
                // must not hide the refusal (see `CurlEasy.perform`).
                io.replies.append(line)
                if io.replies.count > 32 { io.replies.removeFirst() }
            }
            return 0
        }
        set(CURLOPT_VERBOSE, 1)
        errorBuffer[0] = 0
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    /// Stops an SMTP transfer before MAIL FROM when a fresh session skipped AUTH although a
    /// login is configured.
    ///
    /// libcurl silently leaves AUTH out when the server does not offer it (or offers no
    /// mechanism libcurl can use) and goes on to send unauthenticated; the organiser asked for
    /// a login, so passmail stops instead (`CurlResult.authNotOffered`). A reused session had
    /// passed this check when it was opened.
    func requireAuthentication() {
        io.requireAuth = true
        _ = ccurl_setopt_pointer(handle, CURLOPT_PREREQDATA, Unmanaged.passUnretained(io).toOpaque())
        _ = ccurl_setopt_prereq(handle) { userdata, _, _, _, _ in
            let io = Unmanaged<TransferIO>.fromOpaque(userdata!).takeUnretainedValue()
            guard io.requireAuth, io.greeted, !io.authenticated else { return Int32(CURL_PREREQFUNC_OK) }
            io.authNotOffered = true
            return Int32(CURL_PREREQFUNC_ABORT)
        }
    }

    /// Runs the transfer (blocking: call it from a dedicated thread, never the Swift pool).
    /// The corresponding C function is `curl_easy_perform`.
    func perform() -> CurlResult {
        let code = curl_easy_perform(handle)
        var response = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        var newConnections = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &newConnections)
        let detail = String(cString: errorBuffer)
        // The server's words for the code the transfer ended with, else its last line.
        let lastReply = io.replies.last(where: { response > 0 && $0.hasPrefix(String(response)) }) ?? io.replies.last
        return CurlResult(code: Int(code.rawValue), response: response, error: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail,
                          uploadFinished: io.uploadFinished, lastReply: lastReply, reusedConnection: newConnections == 0,
                          authNotOffered: io.authNotOffered)
    }

    private func freeLists() {
        for l in lists { curl_slist_free_all(l) }
        lists = []
    }
}

/// Buffers the callbacks fill during one transfer.
final class TransferIO: @unchecked Sendable {
    var upload = Data()
    var offset = 0
    /// The read callback has handed over the last byte.
    var uploadFinished = false
    var body = Data()
    var headerLines: [String] = []
    /// The server's reply lines (CURLINFO_HEADER_IN), the last few only.
    var replies: [String] = []
    /// SMTP: this transfer opened a session (sent EHLO or HELO) / sent AUTH in it.
    var greeted = false, authenticated = false
    /// SMTP: a login is configured, so a fresh session without AUTH must stop (`requireAuthentication`).
    var requireAuth = false
    /// SMTP: stopped before MAIL FROM because the fresh session had no AUTH.
    var authNotOffered = false

    func reset() {
        upload = Data(); offset = 0; uploadFinished = false; body = Data(); headerLines = []; replies = []
        greeted = false; authenticated = false; requireAuth = false; authNotOffered = false
    }

    func read(into buffer: UnsafeMutablePointer<CChar>, max: Int) -> Int {
        let n = min(max, upload.count - offset)
        if n <= 0 { uploadFinished = true; return 0 }
        upload.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + offset, byteCount: n)
        }
        offset += n
        // libcurl stops asking once it has the announced size, so the last chunk
        // is the hand-over. (It may still sit in libcurl's buffer: erring towards
        // "in doubt" is the safe side.)
        if offset >= upload.count { uploadFinished = true }
        return n
    }
}

/// What one `curl_easy_perform` ended with, in Swift terms.
struct CurlResult: Sendable, Equatable {
    /// CURLcode (0 = CURLE_OK).
    var code: Int
    /// Last SMTP reply code or HTTP status (0 when none arrived).
    var response: Int
    /// libcurl's error text.
    var error: String
    var uploadFinished: Bool
    /// The last line the server sent, e.g. "550 5.1.1 Mailbox unavailable".
    var lastReply: String?
    /// The transfer ran on a connection kept from an earlier one (no new connection was made).
    var reusedConnection = false
    /// SMTP: stopped before MAIL FROM because a login is configured and the server offered no usable AUTH.
    var authNotOffered = false
}

struct CurlSetupError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// CURLcode values passmail classifies (from curl/curl.h).
enum CurlCode {
    static let ok = 0
    static let couldntResolveProxy = 5, couldntResolveHost = 6, couldntConnect = 7
    static let weirdServerReply = 8, partialFile = 18, operationTimedOut = 28
    static let loginDenied = 67, gotNothing = 52, sendError = 55, recvError = 56, abortedByCallback = 42
    /// The URL or protocol itself cannot work (unsupported protocol, malformed URL, feature not built in).
    static let setup: Set<Int> = [1, 3, 4]
    /// TLS handshake, certificate and trust failures: the organiser must fix something.
    static let tls: Set<Int> = [35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98]
}
