import Basics
import Testing

/// Basics.CSVReader as extracts need it (kept here because BasicsTests belongs to another module's owner).
@Suite struct CSVReaderTests {
    static func records(_ text: String) throws -> [[String]] {
        try records(Array(text.utf8))
    }

    static func records(_ bytes: [UInt8], limits: CSVLimits = .default) throws -> [[String]] {
        let reader = CSVReader(bytes: bytes, name: "t.csv", limits: limits)
        var out: [[String]] = []
        while try reader.next() { out.append(reader.record) }
        return out
    }

    @Test func splitsFieldsAndRecordsOnAnyLineEnd() throws {
        #expect(try Self.records("a,b\r\nc,d\ne,f\rg,h") == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
    }

    @Test func readsQuotedFieldsWithCommasEscapedQuotesAndLineBreaks() throws {
        #expect(try Self.records("\"a,1\",\"say \"\"hi\"\"\",\"x\r\ny\"\n") == [["a,1", "say \"hi\"", "x\r\ny"]])
    }

    @Test func keepsThePhysicalLineOfEachRecord() throws {
        let reader = CSVReader(bytes: Array("h\n\n\"a\nb\"\nc\n".utf8), name: "t.csv")
        var lines: [Int] = []
        while try reader.next() { lines.append(reader.line) }
        #expect(lines == [1, 3, 5])
    }

    @Test func reportsTheByteOffsetAfterEachRecord() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("h1,h2\r\nrow\n".utf8)
        let reader = CSVReader(bytes: bytes, name: "t.csv")
        #expect(try reader.next())
        #expect(reader.hadByteOrderMark)
        #expect(reader.offset == 10)
        #expect(reader.nextLineNumber == 2)
        #expect(Array(bytes[reader.offset...]) == Array("row\n".utf8))
    }

    @Test func reportsOffsetsAcrossChunksOfAFile() throws {
        let path = "/tmp/outreach-csv-\(UInt32.random(in: 0...UInt32.max)).csv"
        defer { try? FileIO.remove(path) }
        try FileIO.writeAtomically(text: "header\n" + String(repeating: "x", count: 100) + "\nlast\n", to: path)
        let reader = try CSVReader(path: path, chunkSize: 16)
        #expect(try reader.next())
        #expect(try reader.next())
        #expect(reader.offset == 7 + 101)
        #expect(try reader.next())
        #expect(reader.record == ["last"])
    }

    @Test func skipsBlankLinesAndKeepsEmptyFields() throws {
        #expect(try Self.records("\n\na,,b,\n\n") == [["a", "", "b", ""]])
    }

    @Test func decodesWindows1252WhenTheBytesAreNotUTF8() {
        #expect(CSVReader.decode([0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x80]) == "Müller€")
        #expect(CSVReader.decode(Array("Zoë".utf8)) == "Zoë")
    }

    @Test func refusesPathologicalInputWithAClearMessage() {
        let tight = CSVLimits(maxFieldBytes: 8, maxRecordBytes: 16, maxFields: 3)
        #expect(throws: CSVError.self) { try Self.records(Array("123456789\n".utf8), limits: tight) }
        #expect(throws: CSVError.self) { try Self.records(Array("a,b,c,d\n".utf8), limits: tight) }
        #expect(throws: CSVError.self) { try Self.records(Array("1234567,1234567,1234567\n".utf8), limits: tight) }
        #expect(throws: CSVError.self) { try Self.records([0x61, 0x00, 0x62]) }
        do {
            _ = try Self.records("a\n\"open")
        } catch let error as CSVError {
            #expect(error.message == "t.csv:2: a quoted field that starts here is never closed (a missing '\"')")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
