import TestSupport
import Testing

@testable import Basics

/// Reads every record of `text` as strings, with the line each starts on.
private func records(_ text: String, limits: CSVLimits = .default) throws -> [(line: Int, fields: [String])] {
    try records(Array(text.utf8), limits: limits)
}

private func records(_ bytes: [UInt8], limits: CSVLimits = .default) throws -> [(line: Int, fields: [String])] {
    let reader = CSVReader(bytes: bytes, name: "test.csv", limits: limits)
    var out: [(Int, [String])] = []
    while try reader.next() { out.append((reader.line, reader.record)) }
    return out
}

@Suite struct CSVReaderTests {
    @Test func readsPlainRowsWithLFOrCRLFOrCR() throws {
        for ending in ["\n", "\r\n", "\r"] {
            let rows = try records("a,b\(ending)1,2\(ending)")
            #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"]])
            #expect(rows.map(\.line) == [1, 2])
        }
        // All three in one file, the last line without an ending.
        #expect(
            try records("a,b\r\nc,d\ne,f\rg,h").map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
    }

    /// A `;`-separated file (Excel in much of Europe): its quote-free records are read in place,
    /// where the separator between fields is not part of any field and not a blank one's content.
    @Test func semicolonRecordsReadInPlaceKeepTheirFieldsAndBlankness() throws {
        let reader = CSVReader(
            bytes: Array("a;b,c\n ;\t\n;\nx;\"y;z\"\n".utf8), name: "t", separator: UInt8(ascii: ";"))
        var seen: [([String], Bool)] = []
        while try reader.next() {
            let viewed = reader.withRecord { record in (0..<record.count).map { CSVReader.decode(record[$0]) } }
            #expect(viewed == reader.record)
            seen.append((reader.record, reader.isBlank))
        }
        #expect(seen.map(\.0) == [["a", "b,c"], [" ", "\t"], ["", ""], ["x", "y;z"]])
        #expect(seen.map(\.1) == [false, true, true, false])
    }

    @Test func lastLineWithoutLineEnd() throws {
        #expect(try records("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func stripsAUTF8ByteOrderMark() throws {
        let reader = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("nhs_number,x\n".utf8), name: "t")
        #expect(try reader.next())
        #expect(reader.string(0) == "nhs_number")
        #expect(reader.hadByteOrderMark)
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
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "offsets.csv")
            try FileIO.writeAtomically(text: "header\n" + String(repeating: "x", count: 100) + "\nlast\n", to: path)
            let reader = try CSVReader(path: path, chunkSize: 16)
            #expect(try reader.next())
            #expect(try reader.next())
            #expect(reader.offset == 7 + 101)
            #expect(try reader.next())
            #expect(reader.record == ["last"])
        }
    }

    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let rows = try records("name,address\n\"Smith, John\",\"1 \"\"The\"\" Lane\nHitchin\"\nnext,row\n")
        #expect(
            rows.map(\.fields) == [["name", "address"], ["Smith, John", "1 \"The\" Lane\nHitchin"], ["next", "row"]])
        #expect(rows.map(\.line) == [1, 2, 4])
        // A CRLF inside quotes is kept as it is.
        #expect(
            try records("\"a,1\",\"say \"\"hi\"\"\",\"x\r\ny\"\n").map(\.fields) == [["a,1", "say \"hi\"", "x\r\ny"]])
    }

    @Test func spacesAroundQuotedFieldsAreNotPartOfThem() throws {
        #expect(try records("  \"a, b\"  ,c\n").map(\.fields) == [["a, b", "c"]])
    }

    @Test func keepsSpacesOfUnquotedFieldsForTheCallerToTrim() throws {
        #expect(try records(" a , b \n").map(\.fields) == [[" a ", " b "]])
    }

    @Test func trailingCommaGivesAnEmptyLastField() throws {
        #expect(try records("a,b,\n").map(\.fields) == [["a", "b", ""]])
    }

    @Test func skipsBlankLinesButCountsThem() throws {
        let rows = try records("a\n\n\r\nb\n")
        #expect(rows.map(\.fields) == [["a"], ["b"]])
        #expect(rows.map(\.line) == [1, 4])
        // Lines are physical: a blank line and a line break inside quotes both count.
        #expect(try records("h\n\n\"a\nb\"\nc\n").map(\.line) == [1, 3, 5])
        // Blank lines at the start and end too; empty fields are kept.
        #expect(try records("\n\na,,b,\n\n").map(\.fields) == [["a", "", "b", ""]])
    }

    @Test func aQuoteInsideAnUnquotedFieldIsLiteral() throws {
        #expect(try records("O\"Neil,x\n").map(\.fields) == [["O\"Neil", "x"]])
        #expect(try records("\"ab\"cd,x\n").map(\.fields) == [["abcd", "x"]])
    }

    @Test func windows1252BytesBecomeTheRightCharacters() throws {
        // "Zoë £5 – café" in Windows-1252.
        let bytes: [UInt8] = [0x5A, 0x6F, 0xEB, 0x20, 0xA3, 0x35, 0x20, 0x96, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]
        #expect(try records(bytes).map(\.fields) == [["Zoë £5 – café"]])
        #expect(try records("Zoë,café\n").map(\.fields) == [["Zoë", "café"]])
        #expect(CSVReader.decode([0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x80]) == "Müller€")
        #expect(CSVReader.decode(Array("Zoë".utf8)) == "Zoë")
    }

    @Test func refusesBinaryData() {
        #expect(throws: CSVError.self) { try records([0x61, 0x00, 0x62, 0x0A]) }
        #expect(throws: CSVError.self) { try records([0x61, 0x00, 0x62]) }
    }

    @Test func refusesAnUnterminatedQuoteNamingItsLine() {
        #expect {
            try records("a\nb\n\"never closed\nmore\n")
        } throws: { error in
            (error as? CSVError)?.kind == .unterminatedQuote && (error as? CSVError)?.line == 3
        }
        #expect {
            let reader = CSVReader(bytes: Array("a\n\"open".utf8), name: "t.csv")
            while try reader.next() {}
        } throws: { error in
            (error as? CSVError)?.message == "t.csv:2: a quoted field that starts here is never closed (a missing '\"')"
        }
    }

    @Test func refusesPathologicalSizes() {
        let limits = CSVLimits(maxFieldBytes: 10, maxRecordBytes: 25, maxFields: 4)
        #expect { try records(String(repeating: "x", count: 11) + "\n", limits: limits) } throws: {
            ($0 as? CSVError)?.kind == .fieldTooLong
        }
        #expect { try records("aaaaaaaaa,bbbbbbbbb,ccccccccc\n", limits: limits) } throws: {
            ($0 as? CSVError)?.kind == .recordTooLong
        }
        #expect { try records("a,b,c,d,e\n", limits: limits) } throws: { ($0 as? CSVError)?.kind == .tooManyFields }
        let message = CSVError(kind: .fieldTooLong, file: "big.csv", line: 7, limits: limits).message
        #expect(message == "big.csv:7: a field is longer than 10 bytes; this does not look like a practice extract")
        let tight = CSVLimits(maxFieldBytes: 8, maxRecordBytes: 16, maxFields: 3)
        #expect(throws: CSVError.self) { try records(Array("123456789\n".utf8), limits: tight) }
        #expect(throws: CSVError.self) { try records(Array("a,b,c,d\n".utf8), limits: tight) }
        #expect(throws: CSVError.self) { try records(Array("1234567,1234567,1234567\n".utf8), limits: tight) }
    }

    @Test func streamsAFileInSmallChunksIdenticallyToMemory() throws {
        var random = SeededRandom(seed: 11)
        let text = (0..<300).map { index in
            "\(index),\"quoted, \"\"with\"\" comma\nand line\",plain \(random.next() % 1000)\r\n"
        }.joined()
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "stream.csv")
            try FileIO.writeAtomically(text: text, to: path)
            // Chunks smaller than the file, and a chunk the file fits in (read in one piece, the
            // buffer sized to the file), either side of its size.
            let size = text.utf8.count
            for chunk in [16, 17, 64, 1000, size - 1, size, size + 1, 1 << 20] {
                let reader = try CSVReader(path: path, chunkSize: chunk)
                var fromFile: [[String]] = []
                var lines: [Int] = []
                while try reader.next() {
                    fromFile.append(reader.record)
                    lines.append(reader.line)
                }
                let fromMemory = try records(text)
                #expect(fromFile == fromMemory.map(\.fields), "chunk size \(chunk)")
                #expect(lines == fromMemory.map(\.line), "chunk size \(chunk)")
            }
        }
    }

    /// Property: whatever cells the writer escapes, the reader gives back exactly.
    @Test func writerThenReaderRoundTripsRandomCells() throws {
        let alphabet: [String] = ["a", "Z", "0", ",", "\"", "\n", "\r\n", " ", "é", "£", ";", "'"]
        for seed in UInt64(0)..<200 {
            var random = SeededRandom(seed: seed)
            var table: [[String]] = []
            let columns = Int(random.next() % 5) + 1
            for _ in 0..<(Int(random.next() % 6) + 1) {
                table.append(
                    (0..<columns).map { _ in
                        (0..<Int(random.next() % 8)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
                            .joined()
                    })
            }
            // A row that is all empty is a blank line, which readers skip; keep at least one visible cell.
            table = table.map { row in row.allSatisfy(\.isEmpty) ? ["x"] + row.dropFirst() : row }
            var writer = CSVWriter(lineEnd: seed % 2 == 0 ? "\n" : "\r\n", neutraliseFormulas: false)
            for row in table { writer.append(row) }
            let read = try records(writer.output).map(\.fields)
            let expected = table.map { row in row.map { cell in cell } }
            #expect(read == expected, "seed \(seed)")
        }
    }

    /// Fuzz: random and mutated bytes end in records or a CSVError, never a trap or a hang.
    @Test func randomAndMutatedBytesNeverCrash() {
        let seedText = Array("nhs_number,name\n\"9990000018\",\"Smith, \"\"J\"\"\"\r\n9990000026,x\n".utf8)
        let limits = CSVLimits(maxFieldBytes: 64, maxRecordBytes: 256, maxFields: 16)
        for seed in UInt64(0)..<2000 {
            var random = SeededRandom(seed: seed)
            var bytes: [UInt8]
            if seed % 2 == 0 {
                bytes = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = seedText
                for _ in 0..<Int(random.next() % 8 + 1) {
                    let position = Int(random.next() % UInt64(bytes.count))
                    bytes[position] = [0x22, 0x2C, 0x0A, 0x0D, 0x00, 0xFF, 0x20][Int(random.next() % 7)]
                }
            }
            let reader = CSVReader(bytes: bytes, name: "fuzz", limits: limits)
            var count = 0
            do {
                while try reader.next() {
                    count += 1
                    _ = reader.record
                    if count > bytes.count + 1 {
                        Issue.record("no progress, seed \(seed)")
                        break
                    }
                }
            } catch is CSVError {
            } catch {
                Issue.record("unexpected error \(error), seed \(seed)")
            }
        }
    }
}

@Suite struct CSVWriterTests {
    @Test func neutralisesFormulasButNotNumbers() {
        #expect(CSVWriter.escape("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVWriter.escape("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.escape("+44 7700 900123") == "'+44 7700 900123")
        #expect(CSVWriter.escape("-cmd") == "'-cmd")
        #expect(
            CSVWriter.escape("\tx") == "\"'\tx\"",
            "a tab is neutralised, and quoted so a spreadsheet splitting on tabs keeps the cell whole")
        #expect(CSVWriter.escape("-3") == "-3")
        #expect(CSVWriter.escape("+1.5") == "+1.5")
        #expect(CSVWriter.escape("-inf") == "'-inf")
        #expect(CSVWriter.escape("-nan") == "'-nan")
        #expect(CSVWriter.escape("-0x1p3") == "'-0x1p3")
        #expect(CSVWriter.escape("-1.") == "'-1.")
        #expect(CSVWriter.escape("=1", neutraliseFormulas: false) == "=1")
    }

    @Test func quotesOnlyWhenNeeded() {
        #expect(CSVWriter.escape("plain") == "plain")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.escape(" padded") == "\" padded\"")
    }

    @Test func excelFriendlyFilesStartWithAByteOrderMarkAndUseCRLF() {
        var writer = CSVWriter(byteOrderMark: true)
        writer.append(["a", "b"])
        #expect(Array(writer.output.utf8) == [0xEF, 0xBB, 0xBF] + Array("a,b\r\n".utf8))
    }
}
