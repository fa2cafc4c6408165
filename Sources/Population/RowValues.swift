import Basics
import Vocabulary

/// What one patients row says about its patient, as read: for telling a row that only repeats an
/// earlier row of the same file from one that says something else about the same NHS number
/// (see `ReadState.placeRepeat`). Events are not part of it: a row may repeat its patient to give
/// more events.
///
/// Values are compared as read, so `sg1 1aa` and `SG1 1AA` are one postcode and `02/01/1950` and
/// `1950-01-02` one date of birth; a value the reader ignored (and reported) counts as missing.
/// Phone cells are compared as written too, so two cells giving one number in different words differ.
struct RowValues: Equatable {
    var practice: UInt16
    var dateOfBirth: Day?
    var sex: Sex?
    var interpreterNeeded: Bool?
    var imdDecile: UInt8?
    var dateOfDeath: Day?
    var registeredOn: Day?
    var deregisteredOn: Day?
    /// Each ``TextField``, then each extra field of the file, one after the other: a byte saying
    /// whether there is a value, then its length (4 bytes) and its UTF-8 bytes. One array, so that
    /// rows kept for comparison (see `ReadState.keptRows`) cost one allocation each.
    var texts: [UInt8] = []

    /// Parsed patient row `row` of `rows`, at `practice` (the population's index), with the
    /// file's extra fields.
    init(_ rows: ParsedRows, _ row: Int, practice: UInt16) {
        self.practice = practice
        dateOfBirth = rows.datesOfBirth[row]
        sex = rows.sexes[row]
        interpreterNeeded = rows.interpreterNeeded[row]
        imdDecile = rows.imdDeciles[row]
        dateOfDeath = rows.datesOfDeath[row]
        registeredOn = rows.registeredOn[row]
        deregisteredOn = rows.deregisteredOn[row]
        for column in rows.texts { column.withBytes(row) { append($0) } }
        for column in rows.extras { column.withBytes(row) { append($0) } }
    }

    /// Patient `patient` of `builder` as it stands, with the extra fields in `extraSlots` (a file's).
    init(_ builder: PopulationBuilder, patient: Int, extraSlots: [Int]) {
        practice = builder.practiceIndex[patient]
        dateOfBirth = builder.datesOfBirth[patient]
        sex = builder.sexes[patient]
        interpreterNeeded = builder.interpreterNeeded[patient]
        imdDecile = builder.imdDeciles[patient]
        dateOfDeath = builder.datesOfDeath[patient]
        registeredOn = builder.registeredOn[patient]
        deregisteredOn = builder.deregisteredOn[patient]
        for column in builder.texts { column.withBytes(patient) { append($0) } }
        for slot in extraSlots {
            let values = builder.extraColumns[slot].values
            if patient < values.count { values.withBytes(patient) { append($0) } } else { append(nil) }
        }
    }

    private mutating func append(_ bytes: FieldBytes?) {
        guard let bytes else { return texts.append(0) }
        texts.append(1)
        let length = UInt32(bytes.count)
        for shift in stride(from: 24, through: 0, by: -8) { texts.append(UInt8(truncatingIfNeeded: length >> shift)) }
        texts.append(contentsOf: bytes)
    }

    /// The packed text fields, one slice each (`nil` for a missing value), in order.
    private var textFields: [ArraySlice<UInt8>?] {
        var fields: [ArraySlice<UInt8>?] = []
        var at = texts.startIndex
        while at < texts.endIndex {
            guard texts[at] == 1 else {
                fields.append(nil)
                at += 1
                continue
            }
            let length = texts[(at + 1)..<(at + 5)].reduce(0) { $0 << 8 | Int($1) }
            fields.append(texts[(at + 5)..<(at + 5 + length)])
            at += 5 + length
        }
        return fields
    }

    /// The columns (canonical names, then the extra fields' `extraNames`) whose values differ
    /// between the two rows, each once, in the order of a file's columns.
    func differences(from other: RowValues, extraNames: [String]) -> [String] {
        var names: [String] = []
        func note(_ column: String, _ differs: Bool) {
            if differs, !names.contains(column) { names.append(column) }
        }
        note(CanonicalColumn.practice.rawValue, practice != other.practice)
        note(CanonicalColumn.dateOfBirth.rawValue, dateOfBirth != other.dateOfBirth)
        note(CanonicalColumn.sex.rawValue, sex != other.sex)
        let mine = textFields
        let theirs = other.textFields
        for index in 0..<max(mine.count, theirs.count) {
            let left = index < mine.count ? mine[index] : nil
            let right = index < theirs.count ? theirs[index] : nil
            let same: Bool
            switch (left, right) {
            case (nil, nil): same = true
            case (let l?, let r?): same = l.elementsEqual(r)
            default: same = false
            }
            let name =
                index < TextField.allCases.count
                ? TextField.allCases[index].column.rawValue
                : extraNames[index - TextField.allCases.count]
            note(name, !same)
        }
        note(CanonicalColumn.interpreterNeeded.rawValue, interpreterNeeded != other.interpreterNeeded)
        note(CanonicalColumn.imdDecile.rawValue, imdDecile != other.imdDecile)
        note(CanonicalColumn.dateOfDeath.rawValue, dateOfDeath != other.dateOfDeath)
        note(CanonicalColumn.registeredOn.rawValue, registeredOn != other.registeredOn)
        note(CanonicalColumn.deregisteredOn.rawValue, deregisteredOn != other.deregisteredOn)
        return names
    }
}
