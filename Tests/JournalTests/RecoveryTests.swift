import Basics
import Journal
import TestSupport
import Testing

/// A crash in the middle of a write, and damage to a file at rest.
@Suite("Torn writes and damage")
struct RecoveryTests {
    @Test("a journal cut at every byte inside its last record keeps every earlier record, and takes appends")
    func truncatedLastRecord() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let ends = try write(Sample.batches, to: path)
            let original = try FileIO.readAll(path)
            let lastStart = ends[ends.count - 2]
            let earlier = Array(Sample.batches.dropLast().joined())
            let extra = JournalRecord.ruleSetAdopted(
                RuleSetAdopted(version: Sample.extractHash, day: Sample.monday.adding(days: 7)))
            #expect(ends.last == original.count)

            for cut in lastStart..<original.count {
                try overwrite(path, with: Array(original[..<cut]))
                let journal = try Journal(path: path)
                if cut == lastStart {
                    #expect(journal.recovered == nil, "cut at \(cut)")
                } else {
                    #expect(
                        journal.recovered
                            == JournalTail(
                                offset: lastStart, length: cut - lastStart, completeRecords: 0, endsInTornRecord: true),
                        "cut at \(cut)")
                }
                #expect(journal.history.recordCount == earlier.count, "cut at \(cut)")
                #expect(journal.byteCount == lastStart, "cut at \(cut)")
                try journal.append(extra)
                try journal.sync()
                journal.close()
                #expect(try entries(at: path).map(\.record) == earlier + [extra], "cut at \(cut)")
            }
        }
    }

    @Test("a batch cut anywhere is lost whole, never half-recorded")
    func truncatedBatch() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            // Batch 3 holds an outcome, a not-attempted mark and the file's ingest record.
            let batches = Array(Sample.batches.prefix(4))
            let ends = try write(batches, to: path)
            let original = try FileIO.readAll(path)
            let batchStart = ends[2]
            let kept = Array(batches.prefix(3).joined())
            for cut in (batchStart + 1)..<original.count {
                try overwrite(path, with: Array(original[..<cut]))
                let journal = try Journal(path: path)
                #expect(journal.recovered?.offset == batchStart, "cut at \(cut)")
                #expect(journal.history.recordCount == kept.count, "cut at \(cut)")
                #expect(journal.history.hasIngested(Sample.returnedHash) == false, "cut at \(cut)")
                #expect(journal.history.effectiveOutcome(of: Sample.item1.itemId) == nil, "cut at \(cut)")
                journal.close()
                #expect(try FileIO.readAll(path) == Array(original[..<batchStart]), "cut at \(cut)")
            }
        }
    }

    @Test("whole records of an unfinished batch are reported and dropped")
    func unfinishedBatchReported() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let ends = try write(Sample.batches, to: path)
            let original = try FileIO.readAll(path)
            // Cut batch 1 (three joins and an extract) just before its last record.
            var frames: [Int] = []
            try Journal.forEachEntry(at: path) { frames.append($0.offset) }
            let extractRecordOffset = frames[4]
            try overwrite(path, with: Array(original[..<extractRecordOffset]))
            let journal = try Journal(path: path)
            let tail = try #require(journal.recovered)
            #expect(
                tail
                    == JournalTail(
                        offset: ends[0], length: extractRecordOffset - ends[0], completeRecords: 3,
                        endsInTornRecord: false))
            #expect(
                tail.description
                    == "\(extractRecordOffset - ends[0]) bytes at offset \(ends[0]): the first 3 records of an unfinished batch"
            )
            #expect(journal.history.recordCount == 1)
        }
    }

    @Test("zeros after a torn write (space a file system allocated but never wrote) are cut off too")
    func zeroFilledTail() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let ends = try write(Sample.batches, to: path)
            let original = try FileIO.readAll(path)
            let lastStart = ends[ends.count - 2]
            for cut in lastStart..<original.count {
                try overwrite(path, with: Array(original[..<cut]) + [UInt8](repeating: 0, count: 4096))
                let journal = try Journal(path: path)
                #expect(journal.history.recordCount == Sample.records.count - 1, "cut at \(cut)")
                #expect(journal.recovered?.offset == lastStart, "cut at \(cut)")
                journal.close()
            }
        }
    }

    @Test("a flipped byte anywhere in a middle record is refused with that record's offset, and nothing is changed")
    func flippedByteInMiddle() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Sample.batches, to: path)
            let original = try FileIO.readAll(path)
            let offsets = try entries(at: path).map(\.offset)
            // The outcome that opens batch 3, with records before and after it.
            let victim = 8
            let start = offsets[victim]
            let end = offsets[victim + 1]
            for position in start..<end {
                for mask: UInt8 in [0x01, 0x80, 0xFF] {
                    var damaged = original
                    damaged[position] ^= mask
                    try overwrite(path, with: damaged)
                    do throws(JournalError) {
                        _ = try Journal(path: path)
                        Issue.record("byte \(position) ^ \(mask): opened a damaged journal")
                    } catch {
                        #expect(error.code == .corruptRecord, "byte \(position) ^ \(mask)")
                        #expect(error.offset == start, "byte \(position) ^ \(mask)")
                        #expect(error.exitCode == .dataError)
                        #expect(error.message.contains("at byte offset \(start)"))
                    }
                    #expect(try FileIO.readAll(path) == damaged, "the file must be left as it was")
                    #expect(throws: JournalError.self) { try Journal.read(at: path) }
                }
            }
        }
    }

    @Test("the refusal message names the file and the offset and says what to do")
    func refusalMessage() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Sample.batches, to: path)
            var damaged = try FileIO.readAll(path)
            let offset = try entries(at: path)[2].offset
            damaged[offset + 12] ^= 0x20
            try overwrite(path, with: damaged)
            let error = try #require(throws: JournalError.self) { try Journal(path: path) }
            #expect(
                error.message.hasPrefix(
                    "\(path): error: corrupt journal record at byte offset \(offset): checksum mismatch, with "))
            #expect(
                error.message.hasSuffix(
                    "This is damage, not an interrupted write, so outreach will not guess at the history. The file has not been changed; restore it from a backup."
                ))
        }
    }

    @Test("a damaged length in the middle is not mistaken for a torn end, even when it points past the end")
    func damagedLengthInMiddle() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Sample.batches, to: path)
            let original = try FileIO.readAll(path)
            let offset = try entries(at: path)[4].offset
            for length: UInt32 in [
                0, 1, UInt32(original.count), UInt32(original.count - offset - 8), 0x00FF_FFFF, UInt32.max,
            ] {
                var damaged = original
                for byte in 0..<4 { damaged[offset + byte] = UInt8(truncatingIfNeeded: length >> UInt32(8 * byte)) }
                try overwrite(path, with: damaged)
                let error = try #require(throws: JournalError.self, "length \(length)") { try Journal(path: path) }
                #expect(error.code == .corruptRecord, "length \(length)")
                #expect(error.offset == offset, "length \(length)")
            }
        }
    }

    @Test("a record that passes its checksum but cannot be read is refused, even at the end")
    func unreadablePayload() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write([Sample.batches[0]], to: path)
            var bytes = try FileIO.readAll(path)
            let payload: [UInt8] = [1, 200]  // ends a batch; kind 200 does not exist
            let crc = CRC32.checksum(payload)
            bytes += [2, 0, 0, 0] + (0..<4).map { UInt8(truncatingIfNeeded: crc >> UInt32(8 * $0)) } + payload
            try overwrite(path, with: bytes)
            let error = try #require(throws: JournalError.self) { try Journal(path: path) }
            #expect(error.code == .corruptRecord)
            #expect(error.detail == "unknown record kind 200 (written by a newer version of outreach?)")
        }
    }

    @Test("a file that is not a journal, a damaged header and a newer format are refused")
    func badHeaders() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write([Sample.batches[0]], to: path)
            let original = try FileIO.readAll(path)

            try overwrite(path, with: Array("nhs_number,practice\n".utf8))
            #expect(try #require(throws: JournalError.self) { try Journal(path: path) }.code == .notAJournal)

            var damaged = original
            damaged[9] ^= 1
            try overwrite(path, with: damaged)
            #expect(try #require(throws: JournalError.self) { try Journal(path: path) }.code == .notAJournal)

            var newer = Array(original[..<8]) + [2, 0, 0, 0]
            let crc = CRC32.checksum(newer)
            newer += (0..<4).map { UInt8(truncatingIfNeeded: crc >> UInt32(8 * $0)) }
            try overwrite(path, with: newer + original[16...])
            let error = try #require(throws: JournalError.self) { try Journal(path: path) }
            #expect(error.code == .unsupportedFormat)
            #expect(
                error.message.hasSuffix(
                    "journal format 2 is not one this outreach reads (it reads format 1); it was written by a newer outreach"
                ))
            #expect(error.exitCode == .dataError)

            try overwrite(path, with: Array(original[..<10]))
            #expect(try #require(throws: JournalError.self) { try Journal(path: path) }.code == .notAJournal)
        }
    }

    @Test("reading beside a writer ignores a torn tail and never changes the file")
    func readerLeavesTailAlone() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let ends = try write(Sample.batches, to: path)
            let original = try FileIO.readAll(path)
            let torn = Array(original[..<(original.count - 3)])
            try overwrite(path, with: torn)
            let (history, tail) = try Journal.read(at: path)
            #expect(history.recordCount == Sample.records.count - 1)
            #expect(tail?.offset == ends[ends.count - 2])
            #expect(try entries(at: path).count == Sample.records.count - 1)
            #expect(try FileIO.readAll(path) == torn)
        }
    }

    @Test("a missing journal is reported as a missing input when read")
    func missingForReading() throws {
        let error = try #require(throws: JournalError.self) { try Journal.read(at: "/nonexistent/state/journal") }
        #expect(error.code == .ioFailure)
        #expect(error.exitCode == .noInput)
    }
}
