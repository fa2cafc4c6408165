// Checking the team, the workers and the policy.

import Basics
import Vocabulary

extension Checker {
    mutating func checkTeam(_ syntax: TeamSyntax?) -> Team {
        guard let syntax else { return .standard }
        var workingDays = Team.standard.workingDays
        var closed = Set<Day>()
        var sawDays: SourceRange?
        for statement in syntax.statements {
            switch statement.kind {
            case .workingDays(let days):
                if let first = sawDays {
                    report(Messages.statementTwice("working days", first: sources.describe(first)), at: statement.range)
                }
                sawDays = statement.range
                if let days { workingDays = days.weekdays }
            case .closed(let days):
                for day in days { closed.insert(day.value) }
            }
        }
        return Team(name: syntax.name?.value, workingDays: workingDays, closed: closed.sorted())
    }

    mutating func checkWorker(_ syntax: WorkerSyntax, team: Team) -> Worker? {
        var calls: Int?
        var sawCalls = false
        var works: [Weekday]?
        var practices: [String]?
        var speaks: [String]?
        var skills: [String] = []
        var away: [ClosedRange<Day>] = []
        var ok = true
        // A worker's id names the worker's call list file (`outbox/DAY/ID.csv`): one that cannot be a
        // file name would pass here and stop that day's publication.
        if !syntax.id.text.isEmpty, !Checker.isFileNameId(syntax.id.text) {
            report(Messages.workerIdNotFileName(syntax.id.text, limit: Checker.maxIdLength), at: syntax.id.range)
            ok = false
        }
        var seen: [String: SourceRange] = [:]
        for statement in syntax.statements {
            let word: String
            switch statement.kind {
            case .callsPerDay: word = "calls per day"
            case .works: word = "works"
            case .practices: word = "practices"
            case .speaks: word = "speaks"
            case .skills, .away: word = ""
            }
            if !word.isEmpty {
                if let first = seen[word] {
                    report(Messages.statementTwice(word, first: sources.describe(first)), at: statement.range)
                    ok = false
                }
                seen[word] = statement.range
            }
            switch statement.kind {
            case .callsPerDay(let value):
                sawCalls = true
                if let value { calls = value } else { ok = false }
            case .works(let days):
                guard let days else {
                    ok = false
                    continue
                }
                works = days.weekdays
                for item in days.items {
                    let named = WeekdaysSyntax(items: [item]).weekdays
                    if let outside = named.first(where: { !team.workingDays.contains($0) }) {
                        report(Messages.worksOutsideTeam(syntax.id.text, day: outside.shortName), at: item.range)
                    }
                }
            case .practices(let codes):
                var list: [String] = []
                for code in codes {
                    if Checker.isODSPracticeCode(code.text) {
                        list.append(code.text.uppercased())
                    } else {
                        report(Messages.notODSCode(code.text), at: code.range)
                        ok = false
                    }
                }
                practices = list
            case .speaks(let languages):
                speaks = languages.map(\.key)
            case .skills(let names):
                for name in names where !skills.contains(name.key) { skills.append(name.key) }
            case .away(let from, let to):
                guard from.value <= to.value else {
                    report(Messages.awayBackwards(from.value.description, to.value.description), at: statement.range)
                    ok = false
                    continue
                }
                away.append(from.value...to.value)
            }
        }
        // A line lost to a syntax error ('cals per day 5') may have been the calls per day.
        if !sawCalls, syntax.skippedLines.isEmpty, !syntax.id.text.isEmpty {
            report(Messages.workerNoCapacity(syntax.id.text), at: syntax.id.range)
        }
        guard ok, let calls, !syntax.id.text.isEmpty else { return nil }
        return Worker(
            id: syntax.id.key, name: syntax.name?.value ?? syntax.id.text, callsPerDay: calls, works: works,
            practices: practices, speaks: speaks ?? ["english"], skills: skills,
            away: away.sorted { $0.lowerBound < $1.lowerBound },
            range: syntax.id.range)
    }

    /// The longest id that becomes part of a file name (a worker's call list is `ID.csv`).
    static let maxIdLength = 64

    /// Whether an id can name a file everywhere the program writes one: 1 to ``maxIdLength``
    /// ASCII letters, digits, `_` or `-`.
    static func isFileNameId(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard !bytes.isEmpty, bytes.count <= maxIdLength else { return false }
        return bytes.allSatisfy { byte in
            let lower = byte | 0x20
            return (lower >= 97 && lower <= 122) || (byte >= 48 && byte <= 57) || byte == 95 || byte == 45
        }
    }

    /// A GP practice ODS code: one letter and five digits, such as `E82001` or `Y02906`.
    static func isODSPracticeCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 6 else { return false }
        let letter = bytes[0] | 0x20
        return letter >= 97 && letter <= 122 && bytes[1...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Checks a policy block. A statement given twice is reported, and its value is still checked
    /// (its own mistakes are not caused by its being there twice), but only the first one counts.
    mutating func checkPolicy(_ syntax: PolicySyntax?) -> Policy {
        var policy = Policy()
        guard let syntax else { return policy }
        var seen: [String: SourceRange] = [:]
        var retries: [RetryRule] = []
        var retryOutcomes: Set<OutcomeCode> = []
        var codedOutcomes: [OutcomeCode: SourceRange] = [:]
        for statement in syntax.statements {
            let word: String
            switch statement.kind {
            case .publishAt: word = "publish lists at"
            case .planAhead: word = "plan ahead"
            case .retry: word = ""
            case .followUpSupport: word = "follow up support after"
            case .rest: word = "rest"
            case .keepSameWorker: word = "keep the same worker"
            case .whenUnreachable: word = "when unreachable"
            case .assumeAnswer: word = "assume"
            case .favourMostDeprived: word = "favour the most deprived"
            case .extractsStaleAfter: word = "extracts go stale after"
            case .code: word = ""
            case .textBeforeCalling: word = "text before calling"
            case .writeWhenUnreachable: word = "write when unreachable"
            }
            var counts = true
            if !word.isEmpty {
                if let first = seen[word] {
                    report(Messages.statementTwice(word, first: sources.describe(first)), at: statement.range)
                    counts = false
                } else {
                    seen[word] = statement.range
                }
            }
            // Checked whether or not it counts; `applied` is a copy the second of a pair writes to.
            var applied = policy
            switch statement.kind {
            case .publishAt(let minutes): if let minutes { applied.publishAt = minutes }
            case .planAhead(let days): if let days { applied.planAheadDays = days }
            case .retry(let retry):
                if let retry, let rule = checkRetry(retry, seen: &retryOutcomes) { retries.append(rule) }
            case .followUpSupport(let period):
                if let period, checkPositive(period, "follow up support after") {
                    applied.followUpSupportAfter = period.value
                }
            case .rest(let period):
                if let period { applied.rest = period.value }
            case .keepSameWorker(let on): applied.keepSameWorker = on
            case .whenUnreachable(let text): if let text { applied.whenUnreachable = text.value }
            case .assumeAnswer(let percent): if let percent { applied.assumedAnswerRate = percent / 100 }
            case .favourMostDeprived(let on): applied.favourMostDeprived = on
            case .extractsStaleAfter(let period):
                if let period, checkPositive(period, "extracts go stale after") {
                    applied.extractsStaleAfter = period.value
                }
            case .code(let outcome, let code, let term):
                if let coding = checkCoding(outcome, code, term, seen: &codedOutcomes) {
                    applied.codings.append(coding)
                }
            case .textBeforeCalling(let on): applied.textBeforeCalling = on
            case .writeWhenUnreachable(let on): applied.writeWhenUnreachable = on
            }
            if counts { policy = applied }
        }
        for rule in retries {
            policy.retries.removeAll { $0.outcome == rule.outcome }
            policy.retries.append(rule)
        }
        policy.retries.sort { $0.outcome.rawValue < $1.outcome.rawValue }
        return policy
    }

    /// Checks `code OUTCOME as CODE "TERM"`: a known outcome, not coded before (`seen` holds the
    /// outcomes coded so far, right or wrong), and a SNOMED CT concept id. Each part is checked on
    /// its own, so one run reports every mistake. Warns about the social prescribing referral code,
    /// which national rules keep for an accepted referral.
    mutating func checkCoding(
        _ outcomeName: NameSyntax, _ code: Located<String>, _ term: Located<String>,
        seen: inout [OutcomeCode: SourceRange]
    ) -> OutcomeCoding? {
        var outcome = OutcomeCode(rawValue: outcomeName.key)
        if let found = outcome {
            if let first = seen[found] {
                report(Messages.codingTwice(found.rawValue, first: sources.describe(first)), at: outcomeName.range)
                outcome = nil
            } else {
                seen[found] = outcomeName.range
            }
        } else {
            let suggestion = Suggestions.closest(to: outcomeName.key, among: OutcomeCode.allCases.map(\.rawValue))
            report(Messages.unknownOutcome(outcomeName.text, suggestion: suggestion), at: outcomeName.range)
        }
        guard Checker.isConceptId(code.value) else {
            report(Messages.notConceptId(code.value), at: code.range)
            return nil
        }
        if code.value == Checker.socialPrescribingReferral {
            report(Messages.referralCodeForOutreach(code.value), at: code.range)
        }
        guard let outcome else { return nil }
        return OutcomeCoding(outcome: outcome, code: code.value, term: term.value)
    }

    /// 871731000000106 "Referral to social prescribing service": nationally, for an accepted
    /// referral at the first interaction only, never for an outreach call.
    static let socialPrescribingReferral = "871731000000106"

    /// A SNOMED CT concept id as written: 6 to 18 ASCII digits.
    static func isConceptId(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        return (6...18).contains(bytes.count) && bytes.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
