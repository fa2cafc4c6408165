import Basics

/// Seeded random rule sets and populations for the differential test: cohorts built from random
/// conditions over a few codelists, canonical columns and declared fields of every type, with
/// windows, `and`/`or`/`not`, comparisons and missing values; and people whose events sit on and
/// around the days those rules care about (window starts, dates in the rules, today), some on
/// the same day, some after today.
struct RandomRuleSets {
    var random: SeededRandom
    let today: Day
    /// Days the rules mention or start windows on: events are put on, just before and just after them.
    private(set) var interestingDays: [Day] = []
    private var defines: [String] = []

    /// The lookup the generated rules use, as a CSV file.
    static let lookupFile = """
        lsoa,imd_decile
        E01000001,1
        E01000002,2
        E01000003,6
        E01000004,10
        """

    /// The lookup files the rules read.
    static var files: [String: String] { ["imd.csv": lookupFile, "shade.csv": shadeFile] }

    /// A lookup keyed by text in mixed case, with text values.
    static let shadeFile = """
        group,shade
        red,warm
        Blue,cool
        GREEN,cool
        """

    static let declarations = """
        codelist a = ["101", "102"]
        codelist b = ["201", "102"]
        codelist r = ["301"]
        codelist v = ["401"]
        lookup imd = "imd.csv" key "lsoa" value "imd_decile"
        lookup shade = "shade.csv" key "group" value "shade"
        field score as number
        field alone as yes/no from "Lives alone"
        field reviewed as date
        field group as text
        field hobby as text
        """

    static let asOfDays = [
        "2026-11-02", "2026-03-31", "2024-02-29", "2025-03-01", "2024-12-31", "2025-02-28", "2023-01-31",
    ]

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
        today = Day(iso: RandomRuleSets.asOfDays.randomElement(using: &random)!)!
        interestingDays = [today, today.adding(days: 1)]
    }

    // MARK: - Rules

    /// A rule set: the fixed declarations, a few defines and one to four cohorts.
    mutating func rules() -> String {
        var text = RandomRuleSets.declarations + "\n"
        for index in 0..<int(0...2) {
            let name = "d\(index)"
            text += "define \(name) = \(condition(depth: 2))\n"
            defines.append(name)
        }
        if chance(0.3) { text += "define total = count(a) + count(b, \(window()))\n" }
        for index in 0..<int(1...4) {
            text += "cohort c\(index) \"Cohort \(index)\"\n  priority \(int(1...3))\n"
            for _ in 0..<int(1...2) { text += "  include if \(condition(depth: 3))\n" }
            for _ in 0..<int(0...2) { text += "  exclude if \(condition(depth: 2))\n" }
            text += "end\n"
        }
        return text
    }

    private mutating func condition(depth: Int) -> String {
        guard depth > 0, chance(0.6) else { return atom() }
        switch int(0...2) {
        case 0: return "(\(condition(depth: depth - 1)) and \(condition(depth: depth - 1)))"
        case 1: return "(\(condition(depth: depth - 1)) or \(condition(depth: depth - 1)))"
        default: return "not (\(condition(depth: depth - 1)))"
        }
    }

    private mutating func atom() -> String {
        let list = pick(["a", "b", "v"])
        let window = chance(0.6) ? ", " + self.window() : ""
        switch int(0...25) {
        case 0, 1: return "has(\(list)\(window))"
        case 2, 3: return "current(\(pick(["a", "b"])), resolved by r\(window))"
        case 4: return "count(\(list)\(window)) \(comparison()) \(int(0...3))"
        case 5: return "\(pick(["first", "last"]))(\(list)\(window)) \(comparison()) \(date())"
        case 6: return "\(pick(["first", "last"]))(\(list)\(window)) is \(pick(["missing", "present"]))"
        case 7, 24:
            return "last_value(\(pick(["v", "a"]))\(window)) \(comparison()) \(pick(["0.5", "1", "2.25", "-1"]))"
        case 8: return pick(["age \(comparison()) \(int(0...100))", "age between \(int(0...50)) and \(int(40...100))"])
        case 9: return "age_at(\(pick([date(), "first(\(list))", "last(\(list))"]))) \(comparison()) \(int(0...90))"
        case 10: return "days_since(last(\(list)\(window))) \(comparison()) \(pick(["0", "1", "30", "90", "365"]))"
        case 11: return "years_since(first(\(list))) \(comparison()) \(int(0...5))"
        case 12:
            return pick([
                "imd_decile \(comparison()) \(int(1...10))", "imd_decile in [1, 2]", "imd_decile not in [3, 10]",
                "imd_decile between 3 and 6",
            ])
        case 13: return pick(["imd(lsoa) \(comparison()) \(int(1...10))", "imd(lsoa) is missing"])
        case 14:
            return pick([
                "score \(comparison()) \(pick(["0", "0.5", "1", "2.25"]))", "score between 0 and 1", "score is missing",
                "score + 1 > 2", "score - score = 0", "score in [0, 3]",
            ])
        case 15: return pick(["alone = yes", "alone", "alone != no", "alone is present", "not alone"])
        case 16:
            return pick([
                "reviewed \(comparison()) \(date())", "reviewed + \(period()) >= today", "today - reviewed <= 90 days",
                "reviewed between \(date()) and \(date())", "reviewed - 2 weeks < \(date())",
            ])
        case 17:
            return pick([
                "group = \"red\"", "group = \"Blue\"", "group in [\"green\", \"RED\"]", "group not in [\"blue\"]",
                "group is present", "shade(group) = \"warm\"", "shade(group) != \"COOL\"", "shade(group) is missing",
            ])
        case 18:
            return pick([
                "sex = \"F\"", "sex != \"M\"", "preferred_language = \"english\"",
                "preferred_language in [\"gujarati\", \"polish\"]",
            ])
        case 19: return pick(["hobby = \"chess\"", "hobby is missing", "hobby not in [\"golf\"]"])
        case 20: return defines.isEmpty ? "has(a)" : pick(defines)
        case 21:
            return pick([
                "last(a) - first(a) >= \(pick(["0", "1", "30"])) days", "first(a) = last(b)",
                "last(a, \(self.window())) < first(b)",
            ])
        case 22: return pick(["yes", "no", "date_of_death is missing", "today = \(date())"])
        case 23: return "count(a\(window)) + count(b) \(comparison()) \(int(0...4))"
        default: return "has(\(list)\(window)) and last_value(v) is present"
        }
    }

    private mutating func window() -> String {
        switch int(0...8) {
        case 0: return "within \(pick(["0 days", "1 day", "7 days", "30 days", "90 days", "365 days"]))"
        case 1: return "within \(pick(["1 week", "6 weeks"]))"
        case 2: return "within \(pick(["1 month", "6 months", "12 months", "3 months"]))"
        case 3: return "within \(pick(["1 year", "5 years"]))"
        case 4: return "since \(date())"
        case 5: return "before \(date())"
        case 6: return "between \(date()) and \(date())"
        case 7: return pick(["since today - 1 year", "since today - 1 month", "before today - 30 days"])
        default: return "since \(date()) + 1 month"
        }
    }

    private mutating func period() -> String {
        pick(["30 days", "2 weeks", "1 month", "6 months", "1 year"])
    }

    /// A date literal near today (remembered, so people get events around it).
    private mutating func date() -> String {
        let day: Day
        switch int(0...3) {
        case 0: day = today.adding(days: -int(0...1500))
        case 1: day = today.adding(days: int(-40...10))
        case 2:
            day = Day(iso: pick(["2024-02-29", "2024-03-01", "2025-01-31", "2025-02-28", "2023-03-31", "2026-01-01"]))!
        default: day = today
        }
        interestingDays.append(day)
        interestingDays.append(day.adding(days: 31))  // catches `DATE + 1 month` roughly
        return day.description
    }

    private mutating func comparison() -> String {
        pick(["=", "!=", "<", "<=", ">", ">="])
    }

    // MARK: - People

    /// 20 to 60 people (or `count`) whose ages, deaths, columns and events sit around the rules'
    /// days; in half the populations no one has a `hobby` column (a declared field no extract has).
    mutating func people(count: Int? = nil) -> [RefPatient] {
        let count = count ?? int(20...60)
        let hobbyColumn = chance(0.5)
        // Window starts of every `within` the rules could use, so events land on their boundaries.
        for (count, unit) in [
            (1, Period.Unit.months), (3, .months), (6, .months), (12, .months), (1, .years), (5, .years),
        ] {
            interestingDays.append(today.subtracting(Period(count, unit)))
        }
        for days in [0, 1, 7, 30, 42, 90, 365] { interestingDays.append(today.adding(days: -days)) }
        return (0..<count).map { index in person(nhs: TestNHS.number(index), hobbyColumn: hobbyColumn) }
    }

    private mutating func person(nhs: UInt64, hobbyColumn: Bool) -> RefPatient {
        var cells: [String: String] = [
            "imd_decile": chance(0.2) ? pick(["", "11"]) : String(int(1...10)),
            "lsoa": pick(["E01000001", "E01000002", "e01000002", "E01000003", "E01000004", "E01999999", ""]),
            "sex": pick(["F", "M", ""]),
            "preferred_language": pick(["English", "english ", "Gujarati", "POLISH", ""]),
            "score": pick(["", "0", "0.5", "1", "2.25", "3", "-1", "abc", "NULL"]),
            "Lives alone": pick(["yes", "no", "Yes", "N", "true", "0", "", "maybe"]),
            "reviewed": pick(["", "31/02/2024", eventDay().description, eventDay().description]),
            "group": pick(["Red", "red", " BLUE ", "Green", "", "N/A"]),
        ]
        if hobbyColumn { cells["hobby"] = pick(["chess", "Golf", ""]) }
        var events: [RefEvent] = []
        for _ in 0..<int(0...7) {
            let value = chance(0.5) ? pick(["0.5", "1", "2.25", "-1", "3", "0", "x"]) : ""
            if let earlier = events.randomElement(using: &random), chance(0.3) {
                // Another event on the same day: a repeat reading of the same code, or something else coded.
                let code = chance(0.5) ? earlier.code : pick(["101", "102", "201", "301", "401"])
                events.append(RefEvent(code: code, day: earlier.day, valueText: value))
            } else {
                events.append(
                    RefEvent(code: pick(["101", "102", "201", "301", "401", "999"]), day: eventDay(), valueText: value))
            }
        }
        return RefPatient(
            nhs: nhs, born: birth(), death: chance(0.15) ? lifeEvent() : nil,
            deregistered: chance(0.1) ? lifeEvent() : nil, cells: cells, events: events)
    }

    /// A day for an event: often on or next to an interesting day, sometimes any time, sometimes after today.
    private mutating func eventDay() -> Day {
        switch int(0...9) {
        case 0...4: return interestingDays.randomElement(using: &random)!.adding(days: int(-1...1))
        case 5...7: return today.adding(days: -int(0...2500))
        default: return today.adding(days: int(1...60))
        }
    }

    /// A date of birth, never after today: some on 29 February, some with a birthday around today.
    private mutating func birth() -> Day {
        let (year, month, dayOfMonth) = today.components
        let candidate: Day?
        switch int(0...9) {
        case 0: candidate = Day(year: pick([1940, 1948, 1952, 1960, 2000, 2008, 2020]), month: 2, day: 29)
        case 1, 2:
            candidate = Day(year: year - int(0...99), month: month, day: min(dayOfMonth, 28))?.adding(days: int(-1...1))
        default: candidate = today.adding(days: -int(0...36_500))
        }
        guard let candidate, candidate <= today else { return today.adding(days: -int(0...36_500)) }
        return candidate
    }

    /// A death or deregistration: around today, or long ago, or later.
    private mutating func lifeEvent() -> Day {
        chance(0.7) ? today.adding(days: int(-2...2)) : today.adding(days: int(-2000...400))
    }

    // MARK: - Random helpers

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    private mutating func chance(_ probability: Double) -> Bool { random.chance(probability) }
    private mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &random)! }
}
