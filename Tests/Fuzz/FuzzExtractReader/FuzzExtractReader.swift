import Basics
import Population
import Vocabulary

/// libFuzzer's entry point for the extract reader: the bytes are inspected as a practice's patients
/// file (read with the normalisers behind every typed column, and reported as `inspect` does), and again as an events file beside a
/// small valid patients file, so the event scanner sees them too; every field is also given to
/// each normaliser on its own. Errors are the reader's answer to bad input; only a crash, a hang
/// or runaway memory is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtractReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let options = ReadOptions(today: Day(year: 2026, month: 11, day: 23))
    _ = try? Inspection.run(
        inputs: [.bytes(bytes, name: "E82001-patients.csv")], options: options, rejectsPath: nil)
    if let extract = try? ExtractReader.read(
        [.bytes(companionPatients, name: "E82001-patients.csv"), .bytes(bytes, name: "E82001-events.csv")],
        options: options)
    {
        var sink = CountingSink()
        _ = try? EventScanner(extract: extract, codes: CodeTable([])).scan(into: &sink)
    }
    normaliseEachField(bytes)
    return 0
}

/// Patients for the events file to belong to.
private let companionPatients = Array(
    """
    nhs_number,date_of_birth,sex,practice_code,postcode,phone
    9434765919,1950-03-01,F,E82001,LS1 4AP,07700 900123
    9434765870,1962-11-30,M,E82001,LS2 9JT,0113 496 0000

    """.utf8)

/// Each comma-separated piece of the input through every normaliser.
private func normaliseEachField(_ bytes: [UInt8]) {
    let latest = Day(year: 2026, month: 11, day: 23)!
    for field in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).prefix(64) {
        Array(field).withUnsafeBufferPointer { field in
            _ = NHSNumber.parse(field)
            _ = Postcode.parse(field)
            _ = PhoneNumber.read(field)
            _ = DateValue.parse(field, latest: latest)
            _ = Sex.parse(field)
            _ = YesNo.parse(field)
            _ = NumberValue.parse(field)
        }
    }
}
