import Basics
import Glibc
import Journal
import Operations

/// libFuzzer's entry point for returned call lists: the bytes are read as a list a link worker
/// sent back, against a real journal's history when `OUTREACH_FUZZ_JOURNAL` names one (so rows
/// can match published items, and the checks of date, worker and attempt run), else an empty one.
/// Rejects and exit-65 errors are the reader's answer to bad input; only a crash, a hang or
/// runaway memory is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReturnedList(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = ReturnedListReader.looksLikeReturnedList(bytes, name: "w1-2026-11-23.csv")
    _ = try? ReturnedListReader.read(bytes: bytes, fileName: "w1-2026-11-23.csv", history: history, at: now)
    return 0
}

/// The morning after the published day the seed lists come from.
private let now = LocalDateTime(day: Day(year: 2026, month: 11, day: 24)!, minuteOfDay: 8 * 60)

/// The history the lists are read against.
private let history: JournalHistory = {
    guard let variable = getenv("OUTREACH_FUZZ_JOURNAL") else { return JournalHistory() }
    let path = String(cString: variable)
    do {
        return try Journal.read(at: path).history
    } catch {
        fatalError("OUTREACH_FUZZ_JOURNAL: \(error)")
    }
}()
