import Basics
import Foundation
import Service
import TestSupport
import Testing

@Suite("Logging")
struct LoggingTests {
    @Test("a log line is one line with a UTC timestamp and a level")
    func lineFormat() {
        // 2026-11-23T07:31:05.25Z
        let time = Double(Day(year: 2026, month: 11, day: 23)!.ordinal) * 86_400 + 7 * 3600 + 31 * 60 + 5.25
        let record = LogRecord(time: time, level: .warning, message: "rules: two\nlines")
        #expect(record.line == "2026-11-23T07:31:05.250Z WARN  rules: two | lines")
    }

    @Test("the logger drops records below its level and hands the rest to every handler")
    func levels() {
        let first = MemoryLogHandler()
        let second = MemoryLogHandler()
        let logger = Logger(handlers: [first, second], minimumLevel: .info)
        logger.debug("noise")
        logger.info("started")
        logger.error("failed")
        #expect(first.messages == ["started", "failed"])
        #expect(second.records.map(\.level) == [.info, .error])
    }

    @Test("rotation renames oldest first and keeps a bounded number of files")
    func rotationPlan() {
        let rotation = LogRotation(maximumBytes: 4096, keep: 3)
        #expect(
            rotation.renames(of: "outreach.log").map { "\($0.from)>\($0.to)" } == [
                "outreach.log.2>outreach.log.3", "outreach.log.1>outreach.log.2", "outreach.log>outreach.log.1",
            ])
        #expect(!rotation.shouldRotate(size: 0, adding: 10_000))
        #expect(!rotation.shouldRotate(size: 4000, adding: 96))
        #expect(rotation.shouldRotate(size: 4000, adding: 97))
    }

    @Test("a year of logging cannot fill the disk: the files stay within (keep + 1) × the size, owner-only")
    func rotatingFile() throws {
        try withTemporaryDirectory { root in
            let folder = FileIO.join(root, "logs")
            let handler = try FileLogHandler(directory: folder, rotation: LogRotation(maximumBytes: 2048, keep: 2))
            let logger = Logger(handlers: [handler])
            for index in 0..<500 { logger.info("cycle \(index): 0 files waiting") }
            let names = try FileIO.listDirectory(folder)
            #expect(names == ["outreach.log", "outreach.log.1", "outreach.log.2"])
            for name in names {
                let path = FileIO.join(folder, name)
                #expect(try FileIO.sizeAndModification(path).size <= 2048)
                #expect(try FileIO.permissions(path) == 0o600)
            }
            #expect(try FileIO.permissions(folder) == 0o700)
            #expect(try FileIO.readText(FileIO.join(folder, "outreach.log")).contains("cycle 499:"))
        }
    }

    @Test("a removed log folder is recreated at the next cycle")
    func recreated() throws {
        try withTemporaryDirectory { root in
            let folder = FileIO.join(root, "logs")
            let handler = try FileLogHandler(directory: folder)
            let logger = Logger(handlers: [handler])
            logger.info("before")
            try FileManager.default.removeItem(atPath: folder)
            handler.maintain()
            logger.info("after")
            #expect(try FileIO.readText(FileIO.join(folder, "outreach.log")).contains("after"))
            #expect(try FileIO.permissions(FileIO.join(folder, "outreach.log")) == 0o600)
        }
    }
}
