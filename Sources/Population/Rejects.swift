import Basics

/// Why a value or a row could not be used. One case per reason a person can act on, so the
/// rejects report can count them and a practice can fix its export.
public enum Problem: Error, Hashable, Sendable, Comparable {
    /// A required value (NHS number, date of birth, an event's code or date) is empty or a missing marker.
    case missing
    /// An NHS number that is not 10 digits.
    case nhsNotTenDigits
    /// An NHS number whose Modulus 11 check digit is wrong.
    case nhsCheckDigit
    /// An NHS number Excel turned into a rounded number (`9.99001E+09`): the digits are lost.
    case nhsExcelMangled
    /// Text that is not a date in any form extracts use.
    case notADate
    /// A date of a form we read that does not exist (`31/02/2024`, month 13).
    case noSuchDate
    /// A five-digit Excel day number (`45352`) where a date belongs.
    case excelDateNumber
    /// A date of birth after the extract's date.
    case dateAfterExtract
    case notAPostcode
    case notAPhoneNumber
    case notASex
    case notYesNo
    case notANumber
    case notADecile
    case notAPracticeCode
    /// A row with no practice column value and no practice code in its file's name.
    case noPractice
    /// The same NHS number again in one file, in a row that says something different about the
    /// patient (a date of birth, a name, a phone…): the later row is not used.
    case conflictingDuplicate
    /// The same patient in another practice's row (another file's, or this one's) with a later
    /// registration: this row lost.
    case duplicatePatient
    /// A row that only repeats an earlier row of the same file (the same values, no events): dropped.
    case repeatedRow
    /// An EMIS continuation row (first cells blank) after a row that was rejected, or at the top.
    case orphanContinuation
    /// A row of a file without dates of birth whose patient no other file gives a date of birth for.
    case noDateOfBirth
    /// A row with an NHS number but nothing else usable in an events file (no code).
    case noCode
    /// A spreadsheet's error value (`#N/A`, `#REF!`, …) where a name belongs: a formula failed, so
    /// the real value is not known.
    case spreadsheetError

    /// The reason as the rejects report words it.
    public var reason: String {
        switch self {
        case .missing: return "is missing"
        case .nhsNotTenDigits: return "is not a 10-digit NHS number"
        case .nhsCheckDigit: return "check digit is wrong"
        case .nhsExcelMangled:
            return "was rounded by Excel (like 9.99001E+09), losing digits: export the column as text"
        case .notADate: return "is not a date"
        case .noSuchDate: return "no such date"
        case .excelDateNumber: return "is an Excel day number, not a date: export the column as text"
        case .dateAfterExtract: return "is after the extract's date"
        case .notAPostcode: return "is not a UK postcode"
        case .notAPhoneNumber: return "holds no usable UK phone number"
        case .notASex: return "is not F, M or U"
        case .notYesNo: return "is not yes or no"
        case .notANumber: return "is not a number"
        case .notADecile: return "is not a decile from 1 to 10"
        case .notAPracticeCode: return "is not a practice ODS code (like E82001)"
        case .noPractice: return "has no practice: no practice column value and no practice code in the file name"
        case .conflictingDuplicate:
            return "NHS number already used earlier in this file, by a row with different details: this row not used"
        case .duplicatePatient:
            return "duplicate: the same patient is at another practice; the later registration (on a tie the row read "
                + "first) is kept"
        case .repeatedRow: return "duplicate: the same row is earlier in this file"
        case .orphanContinuation: return "continuation row (first cells blank) with no accepted patient row above it"
        case .noDateOfBirth: return "no file gives this patient's date of birth"
        case .noCode: return "has no code"
        case .spreadsheetError:
            return "is a spreadsheet's error value, not a name: a formula failed; export the values, not the formulas"
        }
    }
}

/// One value or row that could not be used, with where it is: the rejects report's line.
public struct Reject: Hashable, Sendable {
    /// What happened to the row.
    public enum Action: String, Hashable, Sendable, Comparable {
        /// The whole row was not used (a patient or an event lost): counts towards `--max-reject-rate`.
        case rowRejected = "row rejected"
        /// The row was used; this one value was kept as missing.
        case valueIgnored = "value ignored"
        /// The row lost to another row of the same patient (another practice's with a later
        /// registration), or only repeated an earlier row of its file. Not a lost patient: the
        /// other row is used.
        case duplicate = "duplicate dropped"

        public static func < (lhs: Action, rhs: Action) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The file's path as given.
    public var file: String
    /// The physical line (1-based) the row starts on.
    public var line: Int
    /// The column: its canonical name when mapped, else its normalised header.
    public var column: String
    /// The value as it was in the file.
    public var value: String
    public var problem: Problem
    public var action: Action
    /// More about this instance (e.g. where the winning duplicate is), or `nil`.
    public var detail: String?

    public init(
        file: String, line: Int, column: String, value: String, problem: Problem, action: Action,
        detail: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.problem = problem
        self.action = action
        self.detail = detail
    }

    /// The reason with any detail: `check digit is wrong`, `duplicate: … (kept practice-E82002.csv:12)`.
    public var reason: String {
        detail.map { "\(problem.reason) (\($0))" } ?? problem.reason
    }

    /// One line for people: `practice-E82001.csv:1043: nhs_number "999 001 0014": check digit is wrong`.
    public var message: String {
        "\(FileIO.fileName(of: file)):\(line): \(column) \"\(value)\": \(reason)"
    }
}

/// Every reject of a run, in the order found, with the CSV form `--rejects` writes.
public struct RejectLog: Sendable {
    public private(set) var entries: [Reject] = []

    public init() {}

    public mutating func append(_ reject: Reject) {
        entries.append(reject)
    }

    public mutating func append(contentsOf other: RejectLog) {
        entries.append(contentsOf: other.entries)
    }

    /// Adds `delta` to every entry's line (a part of a file scanned with lines counted from its start).
    mutating func offsetLines(by delta: Int) {
        guard delta != 0 else { return }
        for index in entries.indices { entries[index].line += delta }
    }

    /// How many rows were not used at all (duplicates not counted).
    public var rowsRejected: Int { entries.lazy.filter { $0.action == .rowRejected }.count }

    /// Counts by column, problem and action, sorted by count (largest first) then name.
    public var countsByReason: [(column: String, problem: Problem, action: Reject.Action, count: Int)] {
        var counts: [ReasonKey: Int] = [:]
        for entry in entries {
            counts[ReasonKey(column: entry.column, problem: entry.problem, action: entry.action), default: 0] += 1
        }
        return counts.map { (column: $0.key.column, problem: $0.key.problem, action: $0.key.action, count: $0.value) }
            .sorted { lhs, rhs in
                if lhs.count != rhs.count { return lhs.count > rhs.count }
                if lhs.column != rhs.column { return lhs.column < rhs.column }
                if lhs.problem != rhs.problem { return lhs.problem < rhs.problem }
                return lhs.action < rhs.action
            }
    }

    private struct ReasonKey: Hashable {
        let column: String
        let problem: Problem
        let action: Reject.Action
    }

    /// The report as CSV (`file,line,column,value,reason,action`), sorted by file then line, with
    /// spreadsheet formulas neutralised.
    public func csv() -> String {
        var writer = CSVWriter()
        writer.append(["file", "line", "column", "value", "reason", "action"])
        let sorted = entries.enumerated().sorted { lhs, rhs in
            if lhs.element.file != rhs.element.file { return lhs.element.file < rhs.element.file }
            if lhs.element.line != rhs.element.line { return lhs.element.line < rhs.element.line }
            return lhs.offset < rhs.offset
        }
        for (_, entry) in sorted {
            writer.append([
                FileIO.fileName(of: entry.file), String(entry.line), entry.column, entry.value, entry.reason,
                entry.action.rawValue,
            ])
        }
        return writer.output
    }
}
