import Basics
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `body` with a fresh, empty, owner-only (0700) folder, removed with everything in it afterwards,
/// whether `body` returns or throws. The folder is named after the calling test target
/// (`outreach-JournalTests-…`), so one left behind by a crash says whose it is.
public func withTemporaryDirectory<T>(
    _ fileID: String = #fileID, _ body: (String) throws -> T
) throws -> T {
    let folder = try makeTemporaryDirectory(fileID)
    defer { try? FileIO.removeTree(folder) }
    return try body(folder)
}

/// A fresh, empty, owner-only (0700) folder that the caller removes: for a fixture built once and
/// shared by several tests, which outlives any one closure. Prefer ``withTemporaryDirectory(_:_:)``.
public func makeTemporaryDirectory(_ fileID: String = #fileID) throws -> String {
    let module = fileID.split(separator: "/").first.map(String.init) ?? "tests"
    var template = Array(FileIO.join(NSTemporaryDirectory(), "outreach-\(module)-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
    guard made != nil else { throw FileIOError(call: "mkdtemp", path: NSTemporaryDirectory(), errno: errno) }
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
