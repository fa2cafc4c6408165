import Basics

/// Dates in every form practice extracts use, parsed from bytes without `DateFormatter`.
///
/// Accepts `2024-03-01`, `2024/03/01`, `20240301`, `01/03/2024`, `1/3/2024`, `01-03-2024`,
/// `01.03.2024` (day first: UK, never US), `01-Mar-2024`, `1 Mar 2024`, `1 March 2024`,
/// `01-MAR-24`, partial `2024-03` and `Mar 2024` (taken as the 1st), each with or without a time
/// part (`T09:30:00Z`, ` 00:00`). Impossible dates (`31/02/2024`) are refused, never rolled over.
public enum DateValue {
    /// Parses a cell.
    /// - Parameter latest: the latest day a two-digit year may give (the extract's date): `01-Mar-24`
    ///   is 2024 when that is not after `latest`, else 1924, so no birth date is in the future.
    @inline(__always)
    public static func parse(_ bytes: FieldBytes, latest: Day) -> Result<Day, Problem> {
        // The usual form, `2024-03-01`, read directly.
        if bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D, let year = digits(bytes, 0, 4),
            let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
            year >= firstTabledYear, year < firstTabledYear + tabledYears, month >= 1, month <= 12
        {
            guard let ordinal = tabledOrdinal(year: year, month: month, day: day) else { return .failure(.noSuchDate) }
            return .success(Day(ordinal: ordinal))
        }
        return parseAnyForm(bytes, latest: latest)
    }

    /// The ordinal of an ISO date's digits already read, or `nil` when that day does not exist or
    /// its year is outside the table (then ``parse(_:latest:)-(FieldBytes,_)`` says which).
    /// - Parameter table: ``monthStarts``. A caller that reads a date on every row passes its own
    ///   reference to it: each read of the global checks that it has been made (a call, and the
    ///   registers saved around it, on every row of an event scan).
    @inline(__always)
    static func tabledOrdinal(year: Int, month: Int, day: Int, in table: [Int32] = monthStarts) -> Int32? {
        guard year >= firstTabledYear, year < firstTabledYear + tabledYears, month >= 1, month <= 12 else {
            return nil
        }
        let index = (year - firstTabledYear) * 12 + month - 1
        let first = table[index]
        guard day >= 1, day <= Int(table[index + 1] - first) else { return nil }
        return first + Int32(day - 1)
    }

    /// Every form other than an ISO date in the tabled years (see ``parse(_:latest:)-(FieldBytes,_)``).
    private static func parseAnyForm(_ bytes: FieldBytes, latest: Day) -> Result<Day, Problem> {
        if MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        var parts = Parts()
        var index = range.lowerBound
        let end = range.upperBound
        var allDigits = true
        for i in range where !bytes[i].isDigit {
            allDigits = false
            break
        }
        if allDigits {
            if range.count == 8 {
                let y = number(bytes, range.lowerBound, 4)
                let m = number(bytes, range.lowerBound + 4, 2)
                let d = number(bytes, range.lowerBound + 6, 2)
                return make(year: y, month: m, day: d)
            }
            if range.count == 5 { return .failure(.excelDateNumber) }
            return .failure(.notADate)
        }
        // Up to three components separated by '-', '/', '.', ' ' or ','; then an optional time.
        while index < end, parts.count < 3 {
            let byte = bytes[index]
            if byte.isDigit {
                var value = 0
                var length = 0
                while index < end, bytes[index].isDigit, length < 5 {
                    value = value * 10 + Int(bytes[index] - 0x30)
                    length += 1
                    index += 1
                }
                if index < end, bytes[index].isDigit { return .failure(.notADate) }
                parts.append(value: value, length: length, isMonthName: false)
            } else if byte.isLetter {
                let start = index
                while index < end, bytes[index].isLetter { index += 1 }
                guard let month = monthNumber(bytes, start..<index) else { return .failure(.notADate) }
                parts.append(value: month, length: index - start, isMonthName: true)
            } else {
                return .failure(.notADate)
            }
            guard index < end else { break }
            let separator = bytes[index]
            if separator == 0x54 && parts.count == 3 { break }  // 'T' before a time
            guard separator == 0x2D || separator == 0x2F || separator == 0x2E || separator == 0x20 || separator == 0x2C
            else { return .failure(.notADate) }
            if parts.count == 3 { break }
            index += 1
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x2C { index += 1 }
        }
        if index < end {
            // Only a time of day may follow: digits, ':', '.', spaces, 'T', 'Z', AM/PM, an offset.
            guard parts.count == 3 else { return .failure(.notADate) }
            var sawDigit = false
            for i in index..<end {
                let byte = bytes[i]
                if byte.isDigit {
                    sawDigit = true
                    continue
                }
                switch byte.lowercased {
                case 0x3A, 0x2E, 0x20, 0x74, 0x7A, 0x61, 0x70, 0x6D, 0x2B, 0x2D: continue
                default: return .failure(.notADate)
                }
            }
            if !sawDigit { return .failure(.notADate) }
        }
        switch parts.count {
        case 3:
            if parts.l0 == 4 && !parts.m0 {
                guard parts.m1 || parts.l1 <= 2, parts.l2 <= 2, !parts.m2 else { return .failure(.notADate) }
                return make(year: parts.v0, month: parts.v1, day: parts.v2)
            }
            guard parts.l0 <= 2, !parts.m0, parts.m1 || parts.l1 <= 2, !parts.m2 else { return .failure(.notADate) }
            if parts.l2 == 4 { return make(year: parts.v2, month: parts.v1, day: parts.v0) }
            guard parts.l2 == 2 else { return .failure(.notADate) }
            return pivot(twoDigitYear: parts.v2, month: parts.v1, day: parts.v0, latest: latest)
        case 2:
            if parts.l0 == 4, !parts.m0, parts.m1 || parts.l1 <= 2 {
                return make(year: parts.v0, month: parts.v1, day: 1)
            }
            if parts.m0, parts.l1 == 4, !parts.m1 { return make(year: parts.v1, month: parts.v0, day: 1) }
            return .failure(.notADate)
        default:
            return .failure(.notADate)
        }
    }

    /// Parses text; see ``parse(_:latest:)-(FieldBytes,_)``.
    public static func parse(_ text: String, latest: Day) -> Result<Day, Problem> {
        Bytes.with(text) { parse($0, latest: latest) }
    }

    private struct Parts {
        var count = 0
        var v0 = 0, v1 = 0, v2 = 0
        var l0 = 0, l1 = 0, l2 = 0
        var m0 = false, m1 = false, m2 = false

        mutating func append(value: Int, length: Int, isMonthName: Bool) {
            switch count {
            case 0: (v0, l0, m0) = (value, length, isMonthName)
            case 1: (v1, l1, m1) = (value, length, isMonthName)
            default: (v2, l2, m2) = (value, length, isMonthName)
            }
            count += 1
        }
    }

    private static let firstTabledYear = 1850
    private static let tabledYears = 350

    /// The day of the 1st of every month from January 1850 on (and of the month after the last),
    /// so that an ISO date costs a table read rather than a calendar calculation.
    static let monthStarts: [Int32] = (0...(tabledYears * 12)).map { index in
        Day(year: firstTabledYear + index / 12, month: index % 12 + 1, day: 1)!.ordinal
    }

    /// The number in `length` bytes from `start`, or `nil` unless they are all digits.
    @inline(__always)
    private static func digits(_ bytes: FieldBytes, _ start: Int, _ length: Int) -> Int? {
        var value = 0
        for index in start..<(start + length) {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    private static func number(_ bytes: FieldBytes, _ start: Int, _ length: Int) -> Int {
        var value = 0
        for index in start..<(start + length) { value = value * 10 + Int(bytes[index] - 0x30) }
        return value
    }

    private static func make(year: Int, month: Int, day: Int) -> Result<Day, Problem> {
        guard year >= 1850, let result = Day(year: year, month: month, day: day) else {
            return .failure(.noSuchDate)
        }
        return .success(result)
    }

    private static func pivot(twoDigitYear: Int, month: Int, day: Int, latest: Day) -> Result<Day, Problem> {
        let century = latest.year / 100 * 100
        guard let recent = Day(year: century + twoDigitYear, month: month, day: day) else {
            // 29 February can exist in one century's year and not the other's (1900 vs 2000).
            if let earlier = Day(year: century - 100 + twoDigitYear, month: month, day: day) {
                return .success(earlier)
            }
            return .failure(.noSuchDate)
        }
        if recent <= latest { return .success(recent) }
        guard let earlier = Day(year: century - 100 + twoDigitYear, month: month, day: day) else {
            return .failure(.noSuchDate)
        }
        return .success(earlier)
    }

    /// `jan`…`dec`, `sept`, or the full English name, any case.
    private static func monthNumber(_ bytes: FieldBytes, _ range: Range<Int>) -> Int? {
        guard range.count >= 3 else { return nil }
        let a = bytes[range.lowerBound].lowercased
        let b = bytes[range.lowerBound + 1].lowercased
        let c = bytes[range.lowerBound + 2].lowercased
        let key = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
        guard let month = monthKeys.firstIndex(of: key) else { return nil }
        if range.count == 3 { return month + 1 }
        if month == 8, range.count == 4, bytes[range.lowerBound + 3].lowercased == 0x74 { return 9 }  // "sept"
        let full = monthNames[month]
        guard range.count == full.count else { return nil }
        for (offset, expected) in full.enumerated() where bytes[range.lowerBound + offset].lowercased != expected {
            return nil
        }
        return month + 1
    }

    private static let monthNames: [[UInt8]] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ].map { Array($0.utf8) }

    private static let monthKeys: [UInt32] = monthNames.map { name in
        UInt32(name[0]) << 16 | UInt32(name[1]) << 8 | UInt32(name[2])
    }
}
