import Basics

@testable import RuleLanguage

/// One mistake that can be made in ``MistakeCatalogue/base``: text edits, each replacing a piece
/// of the base that occurs exactly once and keeping every line where it is, and the one
/// diagnostic the mistake gives on its own, as `id@line`.
struct Mistake: Sendable, CustomStringConvertible {
    let name: String
    let edits: [(find: String, replace: String)]
    let expected: String
    /// Mistakes that change what this one means (not a cascade: both cannot be made at once).
    var excludes: [String] = []

    var description: String { name }
}

/// A rule set with no diagnostics at all, and mistakes that can be made in it independently: each
/// gives exactly one diagnostic when made alone, and any mix of them must give the union of their
/// diagnostics (no mistake hides another, none is reported twice). The mixes that used to lose a
/// diagnostic are here: several mistakes in one cohort (a missing priority and a type error in an
/// `include if`), a statement given twice whose second copy is also wrong, a block with a
/// duplicate name and mistakes inside it, a retry with a bad outcome and a bad delay.
enum MistakeCatalogue {
    static let base = """
        codelist bereavement = ["74506000"]
        codelist carer = ["1186934000"]
        define old = age >= 75
        define older = age >= 85
        define oldest = age >= 95
        define young = age < 30

        cohort bereaved "Recently bereaved"
          priority 2
          include if has(bereavement, within 90 days)
          include if old
          exclude if sex = "M"
          # (slot: a reason before the reason)
          reason "Bereaved {last(bereavement)}"
          call within 7 days
          needs skill bereavement
          # (slot: a retry before the retry)
          retry no_answer after 2 days, at most 3 attempts
        end

        cohort carers "Carers"
          priority 3
          include if has(carer) and older
          exclude if young
          reason "Carer, older: {older}, oldest: {oldest}, old: {old}, since {first(bereavement)}"
        end

        team "Test PCN"
          working days mon to fri
        end

        worker ann "Ann"
          calls per day 10
          practices E82001
          skills bereavement
        end

        worker bob "Bob"
          calls per day 8
          practices E82002
          away 2026-12-01 to 2026-12-31
        end

        policy
          # (slot: a follow-up before the follow-up)
          follow up support after 2 weeks
          rest 14 days between calls
          retry voicemail after 3 days, at most 3 attempts
          # (slot: a coding before the coding)
          code declined as 871711000000103 "Social prescribing declined"
          text before calling: yes
        end

        contact
          not by telephone if older and has(carer)
          no texts if has(carer)
          interpreter "Polish" if young
        end
        # (slot: another contact block)
        # (slot: another contact statement)
        # (slot: another contact end)

        extract emis
          # (slot: a mapping before the mapping)
          map "Patient NHS No" to nhs_number
        end

        example "Bereaved last month"
          as of 2026-11-02
          age 70
          event bereavement 2026-10-01
          expect in bereaved
        end

        """

    /// The line of `base` holding `anchor`, which must occur once.
    static func line(of anchor: String) -> Int {
        let lines = base.split(separator: "\n", omittingEmptySubsequences: false)
        let found = lines.indices.filter { lines[$0].contains(anchor) }
        precondition(found.count == 1, "anchor '\(anchor)' is on \(found.count) lines")
        return found[0] + 1
    }

    static func at(_ id: String, _ anchor: String) -> String { "\(id)@\(line(of: anchor))" }

    static let mistakes: [Mistake] = [
        // The cohort 'bereaved': every statement can be wrong on its own.
        Mistake(
            name: "no priority", edits: [("  priority 2\n", "\n")],
            expected: at("missing-priority", "cohort bereaved")),
        Mistake(
            name: "include compares a number with text",
            edits: [("include if old", "include if old and age >= \"old\"")],
            expected: at("type-mismatch", "include if old")),
        Mistake(
            name: "exclude compares text with a number", edits: [("sex = \"M\"", "sex = 1")],
            expected: at("type-mismatch", "exclude if sex")),
        Mistake(
            name: "no include", edits: [("  include if has(bereavement, within 90 days)\n  include if old\n", "\n\n")],
            expected: at("missing-include", "cohort bereaved")),
        Mistake(
            name: "reason names an unknown codelist", edits: [("{last(bereavement)}", "{last(bereavment)}")],
            expected: at("unknown-codelist", "reason \"Bereaved {")),
        Mistake(
            name: "a reason before the reason",
            edits: [("# (slot: a reason before the reason)", "reason \"Bereaved\"")],
            expected: at("statement-twice", "reason \"Bereaved {")),
        Mistake(
            name: "call within no time", edits: [("call within 7 days", "call within 0 days")],
            expected: at("duration-too-short", "call within")),
        Mistake(
            name: "a skill no worker has", edits: [("needs skill bereavement", "needs skill bereavment")],
            expected: at("skill-nobody-has", "needs skill")),
        Mistake(
            name: "retry an outcome that cannot be retried", edits: [("retry no_answer", "retry no_anser")],
            expected: at("not-retryable", "retry no_answer after 2"),
            excludes: ["a retry before the retry"]),
        Mistake(
            name: "retry after no time", edits: [("after 2 days, at most 3", "after 0 days, at most 3")],
            expected: at("duration-too-short", "retry no_answer after 2")),
        Mistake(
            name: "a retry before the retry",
            edits: [("# (slot: a retry before the retry)", "retry no_answer after 3 days, at most 2 attempts")],
            expected: at("retry-twice", "retry no_answer after 2"),
            excludes: ["retry an outcome that cannot be retried"]),
        // The cohort 'carers', whose name can clash with the first cohort's.
        Mistake(
            name: "cohort name taken", edits: [("cohort carers", "cohort bereaved")],
            expected: at("duplicate-name", "cohort carers")),
        Mistake(
            name: "second cohort has no priority", edits: [("  priority 3\n", "\n")],
            expected: at("missing-priority", "cohort carers")),
        Mistake(
            name: "left of 'and' is a number", edits: [("has(carer) and", "count(carer) and")],
            expected: at("needs-yes-no-operand", "include if has(carer)")),
        Mistake(
            name: "right of 'and' is unknown", edits: [("and older", "and oldr")],
            expected: at("unknown-name", "include if has(carer)")),
        Mistake(
            name: "right of 'or' is a number", edits: [("exclude if young", "exclude if young or 1")],
            expected: at("needs-yes-no-operand", "exclude if young")),
        // Defines, whose names can clash too.
        Mistake(
            name: "define compares a number with text", edits: [("age < 30", "age < \"30\"")],
            expected: at("type-mismatch", "define young")),
        Mistake(
            name: "define name taken", edits: [("define oldest", "define old"), ("{oldest}", "{old}")],
            expected: at("duplicate-name", "define oldest")),
        Mistake(
            name: "duplicate define compares a number with text", edits: [("age >= 95", "age >= \"95\"")],
            expected: at("type-mismatch", "define oldest")),
        // Workers.
        Mistake(
            name: "worker has no calls per day", edits: [("  calls per day 10\n", "\n")],
            expected: at("worker-no-capacity", "worker ann")),
        Mistake(
            name: "worker id too long to name a call list file",
            edits: [("worker bob", "worker " + String(repeating: "b", count: 252))],
            expected: at("worker-id-not-file-name", "worker bob"), excludes: ["worker name taken"]),
        Mistake(
            name: "worker's practice is not an ODS code", edits: [("practices E82001", "practices E8201")],
            expected: at("not-ods-code", "practices E82001")),
        Mistake(
            name: "worker name taken", edits: [("worker bob", "worker ann")],
            expected: at("duplicate-name", "worker bob")),
        Mistake(
            name: "second worker's practice is not an ODS code", edits: [("practices E82002", "practices X1")],
            expected: at("not-ods-code", "practices E82002")),
        Mistake(
            name: "second worker is away backwards",
            edits: [("away 2026-12-01 to 2026-12-31", "away 2026-12-31 to 2026-12-01")],
            expected: at("away-backwards", "away 2026")),
        // The policy.
        Mistake(
            name: "a follow-up before the follow-up",
            edits: [("# (slot: a follow-up before the follow-up)", "follow up support after 3 weeks")],
            expected: at("statement-twice", "follow up support after 2 weeks")),
        Mistake(
            name: "follow up after no time", edits: [("support after 2 weeks", "support after 0 days")],
            expected: at("duration-too-short", "follow up support after 2 weeks")),
        Mistake(
            name: "policy retries an outcome that cannot be retried", edits: [("retry voicemail", "retry voicemal")],
            expected: at("not-retryable", "retry voicemail")),
        Mistake(
            name: "policy retries after no time", edits: [("after 3 days, at most 3", "after 0 days, at most 3")],
            expected: at("duration-too-short", "retry voicemail")),
        // The policy's codes and the contact block.
        Mistake(
            name: "coding names an unknown outcome", edits: [("code declined as", "code declind as")],
            expected: at("unknown-outcome", "code declined as"), excludes: ["a coding before the coding"]),
        Mistake(
            name: "coding is not a SNOMED CT code", edits: [("as 871711000000103", "as 8717")],
            expected: at("not-snomed-code", "code declined as")),
        Mistake(
            name: "coding uses the social prescribing referral code",
            edits: [("as 871711000000103", "as 871731000000106")],
            expected: at("referral-code-for-outreach", "code declined as")),
        Mistake(
            name: "a coding before the coding",
            edits: [("# (slot: a coding before the coding)", "code declined as 871711000000104 \"Declined\"")],
            expected: at("coding-twice", "code declined as"), excludes: ["coding names an unknown outcome"]),
        Mistake(
            name: "contact condition is a number", edits: [("no texts if has(carer)", "no texts if count(carer)")],
            expected: at("condition-not-yes-no", "no texts if")),
        Mistake(
            name: "interpreter condition names an unknown define",
            edits: [("\"Polish\" if young", "\"Polish\" if yung")],
            expected: at("unknown-name", "interpreter \"Polish\"")),
        Mistake(
            name: "another contact block",
            edits: [
                ("# (slot: another contact block)", "contact"),
                ("# (slot: another contact statement)", "  no texts if young"),
                ("# (slot: another contact end)", "end"),
            ],
            expected: at("second-block", "(slot: another contact block)")),
        // The extract profile.
        Mistake(
            name: "a mapping before the mapping",
            edits: [("# (slot: a mapping before the mapping)", "map \"Patient NHS No\" to nhs_number")],
            expected: at("header-mapped-twice", "map \"Patient NHS No\"")),
        Mistake(
            name: "mapped to an unknown column", edits: [("to nhs_number", "to nhs_numbr")],
            expected: at("unknown-map-target", "map \"Patient NHS No\"")),
        // The example.
        Mistake(
            name: "example expects nothing", edits: [("  expect in bereaved\n", "\n")],
            expected: at("example-expects-nothing", "example \"Bereaved")),
        Mistake(
            name: "example event of an unknown codelist", edits: [("event bereavement", "event bereavment")],
            expected: at("unknown-codelist", "event bereavement")),
    ]

    /// `base` with the mistakes made.
    static func make(_ chosen: [Mistake]) -> String {
        var edits: [(range: Range<String.Index>, replace: String)] = []
        for mistake in chosen {
            for edit in mistake.edits { edits.append((range(of: edit.find), edit.replace)) }
        }
        var text = base
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            text.replaceSubrange(edit.range, with: edit.replace)
        }
        return text
    }

    /// Whether two mistakes can be made together: they edit different text and neither changes
    /// what the other means.
    static func compatible(_ a: Mistake, _ b: Mistake) -> Bool {
        if a.excludes.contains(b.name) || b.excludes.contains(a.name) { return false }
        for x in a.edits {
            for y in b.edits where range(of: x.find).overlaps(range(of: y.find)) { return false }
        }
        return true
    }

    /// Where `find` is in `base`; it must occur exactly once.
    static func range(of find: String) -> Range<String.Index> {
        let all = base.ranges(of: find)
        precondition(all.count == 1, "'\(find)' occurs \(all.count) times in the base")
        return all[0]
    }

    /// Every diagnostic of a load, as sorted `id@line`.
    static func found(_ result: RuleSetLoadResult) -> [String] {
        result.diagnostics.map { diagnostic in
            let file = result.sources[diagnostic.range.file]
            return "\(diagnostic.message.id)@\(file.location(of: diagnostic.range.start).line)"
        }.sorted()
    }
}
