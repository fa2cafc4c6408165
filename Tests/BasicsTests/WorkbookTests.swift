import Testing

import Basics

/// A worker who returns their list as a workbook (`.xlsx`, `.ods`, `.xls`) rather than CSV is told
/// to save it as CSV, not that the file holds "binary data".
@Suite struct WorkbookTests {
    private func readingError(_ bytes: [UInt8]) -> CSVError? {
        let reader = CSVReader(bytes: bytes, name: "2026-11-23-gina.xlsx")
        do {
            while try reader.next() {}
            return nil
        } catch {
            return error as? CSVError
        }
    }

    @Test(
        arguments: [
            [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00],  // .xlsx and .ods: a ZIP archive
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00, 0x00, 0x00, 0x00],  // .xls: an OLE compound file
        ] as [[UInt8]])
    func aWorkbookIsToldToBeSavedAsCSV(_ start: [UInt8]) throws {
        let error = try #require(readingError(start + [UInt8](repeating: 0, count: 64)))
        #expect(error.kind == .workbook)
        #expect(error.message.contains("save it as CSV (comma separated)"))
    }

    @Test func otherBinaryDataIsStillBinaryData() throws {
        let error = try #require(readingError(Array("nhs_number\n".utf8) + [0x00, 0x01]))
        #expect(error.kind == .binaryData)
    }
}
