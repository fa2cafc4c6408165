import Basics

/// Every message the rule language prints, in one place, sorted by name.
///
/// Messages are plain English for a PCN lead, not a programmer: lower case, no full stop, names
/// in `'…'`, and where it helps, what to write instead. Each has a stable id for
/// `check --format json`.
public enum Messages {
    private static func error(_ id: String, _ text: String) -> DiagnosticMessage {
        DiagnosticMessage(id, .error, text)
    }

    private static func warning(_ id: String, _ text: String) -> DiagnosticMessage {
        DiagnosticMessage(id, .warning, text)
    }

    private static func suggest(_ text: String, _ suggestion: String?) -> String {
        guard let suggestion else { return text }
        return text + "; did you mean '\(suggestion)'?"
    }

    static let angleNotEquals = error("angle-not-equals", "write '!=' for 'is not equal to'")

    static func argumentCount(_ function: String, expected: String) -> DiagnosticMessage {
        error("argument-count", "'\(function)' takes \(expected)")
    }

    static func argumentType(_ function: String, expected: ValueType, found: ValueType) -> DiagnosticMessage {
        error("argument-type", "'\(function)' needs \(expected), but this is \(found)")
    }

    static func awayBackwards(_ from: String, _ to: String) -> DiagnosticMessage {
        error("away-backwards", "'away \(from) to \(to)' ends before it starts")
    }

    static func badArithmetic(_ op: String, _ left: ValueType, _ right: ValueType) -> DiagnosticMessage {
        error(
            "bad-arithmetic",
            "cannot use '\(op)' with \(left) and \(right); '+' and '-' work on numbers, and on a date with a length of time (and '-' on two dates)"
        )
    }

    static func badTime(_ written: String) -> DiagnosticMessage {
        error("bad-time", "'\(written)' is not a time of day; write 24-hour HH:MM, such as 07:30")
    }

    static func builtInName(_ name: String) -> DiagnosticMessage {
        error(
            "built-in-name",
            "'\(name)' is already a name the language knows (today, age or a patient column); choose another name")
    }

    static func cannotOrder(_ type: ValueType, op: String) -> DiagnosticMessage {
        error("cannot-order", "'\(op)' compares numbers, dates and lengths of time, not \(type); use '=' or '!='")
    }

    static func cannotUseIn(_ type: ValueType) -> DiagnosticMessage {
        error("cannot-use-in", "'in [ … ]' works on numbers, dates and text, not \(type)")
    }

    static let chainedComparison = error(
        "chained-comparison", "comparisons cannot be chained; join them with 'and', as in 'age >= 18 and age < 65'")

    static func codelistAsValue(_ name: String) -> DiagnosticMessage {
        error(
            "codelist-as-value",
            "'\(name)' is a codelist, not a value; ask about it with has(\(name)), count(\(name)) or last(\(name))")
    }

    static func cohortAlwaysEmpty(_ cohort: String, reason: String) -> DiagnosticMessage {
        warning("cohort-always-empty", "no one could ever be in cohort '\(cohort)': \(reason)")
    }

    static func comparisonMismatch(_ anchor: String, _ anchorType: ValueType, _ otherType: ValueType, hint: String?)
        -> DiagnosticMessage
    {
        var text = "\(anchor) is \(anchorType), so it cannot be compared with \(otherType)"
        if let hint, anchorType == .number { text += "; write \(hint) without quotes" }
        return error("type-mismatch", text)
    }

    static func codingTwice(_ outcome: String, first: String) -> DiagnosticMessage {
        error(
            "coding-twice",
            "outcome '\(outcome)' already has a code at \(first); an outcome is written back with one code")
    }

    static func conditionNotYesNo(_ statement: String, found: ValueType) -> DiagnosticMessage {
        error("condition-not-yes-no", "'\(statement)' needs a yes/no condition, but this is \(found)")
    }

    static func conflictingLookupKeys(_ name: String, count: Int, example: String) -> DiagnosticMessage {
        warning(
            "lookup-conflicting-keys",
            "lookup '\(name)' has \(Formatting.count(count, "key")) listed twice with different values, such as '\(example)'; the first value is used"
        )
    }

    static let curlyQuotes = error("curly-quotes", "text must be in straight double quotes \"…\", not curly quotes “…”")

    static func currentNeedsResolvedBy(_ codelist: String) -> DiagnosticMessage {
        error(
            "current-needs-resolved-by",
            "current() needs the codelist that ends it, as in current(\(codelist), resolved by \(codelist)_resolved)")
    }

    static func dateNotISO(_ written: String) -> DiagnosticMessage {
        error(
            "date-not-iso", "'\(written)' is not a date rules can read; write dates as YYYY-MM-DD, such as 2026-03-01")
    }

    static func defineCycle(_ name: String, path: [String]) -> DiagnosticMessage {
        error("define-cycle", "'\(name)' is defined in terms of itself: \(path.joined(separator: " → "))")
    }

    static let doubleEquals = error("double-equals", "write '=' to compare, not '=='")

    static func duplicateCodes(_ name: String, count: Int, example: String) -> DiagnosticMessage {
        warning(
            "duplicate-codes",
            "codelist '\(name)' lists \(Formatting.count(count, "code")) more than once, such as '\(example)'")
    }

    static func duplicateName(_ name: String, kind: String, first: String) -> DiagnosticMessage {
        error("duplicate-name", "'\(name)' is already declared as \(kind) at \(first); every name must be different")
    }

    static func durationTooShort(_ statement: String) -> DiagnosticMessage {
        error("duration-too-short", "'\(statement)' needs a length of time of at least 1 day")
    }

    static let emptyBraces = error(
        "empty-braces", "'{}' holds nothing; put an expression inside, such as {last(bereavement)}")

    static func emptyCodelist(_ name: String, file: String?) -> DiagnosticMessage {
        error(
            "empty-codelist",
            file.map { "codelist '\(name)': '\($0)' has no codes" } ?? "codelist '\(name)' has no codes")
    }

    static func emptyLookup(_ name: String, file: String) -> DiagnosticMessage {
        error("empty-lookup", "lookup '\(name)': '\(file)' has no rows")
    }

    static let exampleAgeNeedsNumber = error("example-age", "'age' needs a whole number of years, such as 'age 70'")

    static func exampleExpectsNothing(_ title: String) -> DiagnosticMessage {
        warning(
            "example-expects-nothing", "example \"\(title)\" has no 'expect in' or 'expect not in', so it tests nothing"
        )
    }

    /// An example whose expectation did not hold, with the engine's explanation.
    public static func exampleFailed(_ title: String, cohort: String, member: Bool, explanation: String)
        -> DiagnosticMessage
    {
        let expected = member ? "in" : "not in"
        return error(
            "example-failed", "example \"\(title)\" expected the person \(expected) '\(cohort)', but \(explanation)")
    }

    static func exampleValueMissing(_ name: String) -> DiagnosticMessage {
        error("example-value-missing", "'\(name)' needs a value after it, such as '\(name) yes' or '\(name) 2'")
    }

    static func exampleValueType(_ name: String, expected: ValueType, found: String) -> DiagnosticMessage {
        let how: String
        switch expected {
        case .yesNo: how = "yes or no"
        case .number: how = "a number"
        case .date: how = "a date YYYY-MM-DD"
        case .text, .duration: how = "text"
        }
        return error("example-value-type", "'\(name)' is \(expected), so write \(how), not '\(found)'")
    }

    static func expected(_ what: String, found: String, suggestion: String?) -> DiagnosticMessage {
        error("expected", suggest("expected \(what), but found \(found)", suggestion))
    }

    static func expectedDeclaration(_ found: String) -> DiagnosticMessage {
        error(
            "expected-declaration",
            "expected a declaration such as 'cohort', 'codelist' or 'define' at the start of the line, but found \(found)"
        )
    }

    static func expectedStatement(_ found: String, in block: String) -> DiagnosticMessage {
        error("expected-statement", "expected a statement of \(block) or 'end', but found \(found)")
    }

    static func expressionTooDeep(limit: Int) -> DiagnosticMessage {
        error(
            "expression-too-deep",
            "expression nested more than \(limit) deep (brackets, 'not's and calls inside one another); split it into defines"
        )
    }

    static func expressionTooDeepThroughDefines(limit: Int) -> DiagnosticMessage {
        error(
            "expression-too-deep",
            "expression nested more than \(limit) deep, counting the defines it uses and the defines they use; make the chain of defines shorter"
        )
    }

    static func expressionTooLong(limit: Int) -> DiagnosticMessage {
        error(
            "expression-too-long",
            "expression has more than \(limit) terms joined by 'and', 'or', '+', '-' or comparisons; split it into defines"
        )
    }

    static func fileMissing(_ written: String, kind: String, suggestion: String?) -> DiagnosticMessage {
        error("file-missing", suggest("\(kind) file '\(written)' does not exist", suggestion))
    }

    static func fractionalDuration(_ written: String) -> DiagnosticMessage {
        error("fractional-duration", "'\(written)': lengths of time are whole numbers of days, weeks, months or years")
    }

    static func headerMappedTwice(_ header: String, first: String) -> DiagnosticMessage {
        error("header-mapped-twice", "column \"\(header)\" is already mapped at \(first)")
    }

    static func listItemType(_ subject: String, subjectType: ValueType, itemType: ValueType) -> DiagnosticMessage {
        error("list-item-type", "\(subject) is \(subjectType), but this list item is \(itemType)")
    }

    static let listNeedsValues = error(
        "list-needs-values", "a list after 'in' holds plain values, such as [\"F\", \"M\"] or [1, 2]")

    static let listOutsideIn = error("list-outside-in", "a list [ … ] can only follow 'in' or 'not in'")

    static func lookupAsValue(_ name: String) -> DiagnosticMessage {
        error("lookup-as-value", "'\(name)' is a lookup table; apply it to a key, as in \(name)(lsoa)")
    }

    static func lookupKeyType(_ name: String, found: ValueType) -> DiagnosticMessage {
        error("lookup-key-type", "lookup '\(name)' is keyed by text or a number, but this is \(found)")
    }

    static func missingArgument(_ function: String, found: String) -> DiagnosticMessage {
        error("missing-argument", "expected a codelist or value in '\(function)(…)', but found \(found)")
    }

    static func missingCondition(after what: String) -> DiagnosticMessage {
        error("missing-condition", "'\(what)' needs a condition after it, such as 'age >= 75'")
    }

    static func missingEnd(_ block: String) -> DiagnosticMessage {
        error("missing-end", "\(block) has no 'end'; close it with a line that says 'end'")
    }

    static func missingIf(_ word: String) -> DiagnosticMessage {
        error("missing-if", "write '\(word) if' followed by a condition")
    }

    static func missingInclude(_ cohort: String) -> DiagnosticMessage {
        error("missing-include", "cohort '\(cohort)' has no 'include if', so no one would ever be in it")
    }

    static func missingOperand(after what: String?, found: String) -> DiagnosticMessage {
        if let what { return error("missing-value", "expected a value after '\(what)', but found \(found)") }
        return error("missing-value", "expected a value, such as a name, a number or \"text\", but found \(found)")
    }

    static func missingPriority(_ cohort: String) -> DiagnosticMessage {
        error(
            "missing-priority",
            "cohort '\(cohort)' has no 'priority'; add a line such as 'priority 2' (1 is most urgent)")
    }

    /// The English name of month 1–12.
    static func monthName(_ month: Int) -> String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return (1...12).contains(month) ? names[month - 1] : "month \(month)"
    }

    /// "a name for the cohort", as the object of "expected …".
    static func nameOf(_ what: String) -> String {
        "a name for the \(what) (letters, digits and _, starting with a letter)"
    }

    static func needsCodelist(_ function: String, found: String) -> DiagnosticMessage {
        error("needs-codelist", "\(function)() needs a codelist, but \(found)")
    }

    static func needsDate(_ statement: String, found: String) -> DiagnosticMessage {
        error("needs-date", "'\(statement)' needs a date written YYYY-MM-DD, but found \(found)")
    }

    static func needsDuration(_ statement: String, found: String) -> DiagnosticMessage {
        error(
            "needs-duration",
            "'\(statement)' needs a length of time, such as '14 days' or '6 months', but found \(found)")
    }

    static func needsDurationUnit(_ statement: String, found: String, suggestion: String?) -> DiagnosticMessage {
        error(
            "needs-duration-unit",
            suggest(
                "'\(statement)' needs days, weeks, months or years after the number, but found \(found)", suggestion))
    }

    static func needsPercent(_ found: String) -> DiagnosticMessage {
        error(
            "needs-percent",
            "'assume' needs a percentage from 0% to 100%, as in 'assume 60% answer', but found \(found)")
    }

    static func needsText(_ statement: String, found: String) -> DiagnosticMessage {
        error("needs-text", "'\(statement)' needs text in double quotes, but found \(found)")
    }

    static func needsTime(_ found: String) -> DiagnosticMessage {
        error("needs-time", "'publish lists at' needs a time written HH:MM, such as 07:30, but found \(found)")
    }

    static func needsWholeNumber(_ statement: String, minimum: Int, found: String) -> DiagnosticMessage {
        let from = minimum == 0 ? "0 or more" : "from \(minimum) upwards"
        return error("needs-whole-number", "'\(statement)' needs a whole number \(from), not \(found)")
    }

    static func needsYesNo(_ statement: String, found: String) -> DiagnosticMessage {
        error("needs-yes-no", "'\(statement)' takes yes or no, not \(found)")
    }

    static func needsYesNoOperand(_ op: String, found: ValueType, what: String) -> DiagnosticMessage {
        error("needs-yes-no-operand", "'\(op)' works on yes/no conditions, but \(what) is \(found)")
    }

    static func neverUsed(_ name: String, kind: String) -> DiagnosticMessage {
        warning("never-used", "\(kind) '\(name)' is never used")
    }

    static func noCodeColumn(file: String, column: String) -> DiagnosticMessage {
        error(
            "no-code-column",
            "'\(file)' has no code column: its first column '\(column)' holds descriptions, not codes; name the column with column \"…\""
        )
    }

    static func noCodeColumnUsingFirst(file: String, column: String) -> DiagnosticMessage {
        warning(
            "no-code-column",
            "'\(file)' has no 'code' column, so codes are read from its first column '\(column)'; say column \"\(column)\" if that is right"
        )
    }

    static func noSuchColumn(_ column: String, file: String, columns: [String], suggestion: String?)
        -> DiagnosticMessage
    {
        error(
            "no-such-column",
            suggest("'\(file)' has no column '\(column)' (its columns: \(columns.joined(separator: ", ")))", suggestion)
        )
    }

    static func noSuchDay(_ written: String, monthName: String, year: Int, days: Int) -> DiagnosticMessage {
        error("no-such-date", "\(written) is not a date: \(monthName) \(year) has \(days) days")
    }

    static func noSuchMonth(_ written: String, month: Int) -> DiagnosticMessage {
        error("no-such-date", "\(written) is not a date: there is no month \(month)")
    }

    static let noWorkers = warning(
        "no-workers", "the rules declare cohorts but no workers, so nobody will be given any calls")

    static func notACohort(_ name: String, kind: String) -> DiagnosticMessage {
        error("not-a-cohort", "'\(name)' is \(kind), not a cohort")
    }

    static func notAFunction(_ name: String, kind: String, isCodelist: Bool) -> DiagnosticMessage {
        error(
            "not-a-function",
            isCodelist
                ? "'\(name)' is a codelist, not a function; did you mean has(\(name))?"
                : "'\(name)' is \(kind), not a function")
    }

    static func notAValue(_ name: String, kind: String) -> DiagnosticMessage {
        error("not-a-value", "'\(name)' is \(kind), which cannot be used in a condition")
    }

    static func notConceptId(_ written: String) -> DiagnosticMessage {
        error(
            "not-snomed-code",
            "'\(written)' is not a SNOMED CT code; write the concept id, 6 to 18 digits, such as 871711000000103")
    }

    static func notODSCode(_ code: String) -> DiagnosticMessage {
        error("not-ods-code", "'\(code)' is not a GP practice ODS code (one letter and five digits, such as E82001)")
    }

    static func notRetryable(_ outcome: String, suggestion: String?) -> DiagnosticMessage {
        error("not-retryable", suggest("'\(outcome)' cannot be retried: only no_answer and voicemail are", suggestion))
    }

    static func notSNOMEDCodes(_ name: String, count: Int, total: Int, example: String) -> DiagnosticMessage {
        warning(
            "not-snomed",
            "codelist '\(name)' has \(count) of \(total) codes that are not SNOMED CT concept ids, such as '\(example)', though the other codelists are SNOMED CT"
        )
    }

    static let oneWindow = error("one-window", "an event function takes one window (within, since, before or between)")

    static func pathEscapes(_ path: String) -> DiagnosticMessage {
        error("path-escapes", "'\(path)' is outside the rules folder; codelists and lookups must be inside it")
    }

    static func readCodelist(_ name: String, example: String) -> DiagnosticMessage {
        warning(
            "ctv3-codelist",
            "codelist '\(name)' holds Read/CTV3 codes such as '\(example)', not SNOMED CT concept ids like the other codelists: it will match nothing in a SNOMED extract"
        )
    }

    static func recallShorterThanRest(_ recall: String, rest: String) -> DiagnosticMessage {
        warning(
            "recall-shorter-than-rest",
            "'recall every \(recall)' is shorter than the policy's rest of \(rest) between calls, so recalls will wait for the rest"
        )
    }

    static func referralCodeForOutreach(_ code: String) -> DiagnosticMessage {
        warning(
            "referral-code-for-outreach",
            "\(code) \"Referral to social prescribing service\" is for a referral the person accepted, at the first interaction only, never for a welfare or outreach call; Outreach never writes it back, so the export will leave it out"
        )
    }

    static func reservedWordAsName(_ name: String) -> DiagnosticMessage {
        error("reserved-word", "'\(name)' is a word of the rule language and cannot be a name")
    }

    static func resolvedByOnlyInCurrent(_ function: String) -> DiagnosticMessage {
        error("resolved-by-only-in-current", "'resolved by' works only in current(…), not in \(function)(…)")
    }

    static func retryTwice(_ outcome: String) -> DiagnosticMessage {
        error("retry-twice", "'\(outcome)' already has a retry rule here")
    }

    static func secondBlock(_ kind: String, first: String) -> DiagnosticMessage {
        error("second-block", "there is already a '\(kind)' block at \(first); a rule set has one")
    }

    static func skillNobodyHas(_ skill: String, cohort: String, suggestion: String?) -> DiagnosticMessage {
        error(
            "skill-nobody-has", suggest("cohort '\(cohort)' needs skill '\(skill)', but no worker has it", suggestion))
    }

    static func statementOutsideBlock(_ word: String, block: String) -> DiagnosticMessage {
        error("statement-outside-block", "'\(word)' belongs inside a '\(block)' … 'end' block")
    }

    static func statementShape(_ shape: String, found: String) -> DiagnosticMessage {
        error("statement-shape", "this statement is written '\(shape)', but found \(found)")
    }

    static func statementTwice(_ statement: String, first: String) -> DiagnosticMessage {
        error("statement-twice", "'\(statement)' is already given at \(first)")
    }

    static let strayEnd = error("stray-end", "'end' with no block to end")

    static let unclosedBrace = error("unclosed-brace", "'{' in this text is never closed with '}'")

    static func unclosedCall(_ function: String, found: String) -> DiagnosticMessage {
        error("unclosed-call", "expected ',' or ')' in '\(function)(…)', but found \(found)")
    }

    static func unclosedList(_ found: String) -> DiagnosticMessage {
        error("unclosed-list", "expected ',' or ']' in the list, but found \(found)")
    }

    static func unexpectedAtLineEnd(_ found: String, suggestion: String?) -> DiagnosticMessage {
        error("unexpected", suggest("expected the end of the line, but found \(found)", suggestion))
    }

    static func unexpectedCharacter(_ character: String) -> DiagnosticMessage {
        error("unexpected-character", "'\(character)' has no meaning in rule files")
    }

    static func unknownCodelist(_ name: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-codelist", suggest("unknown codelist '\(name)'", suggestion))
    }

    static func unknownCohort(_ name: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-cohort", suggest("unknown cohort '\(name)'", suggestion))
    }

    static func unknownDeclaration(_ word: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-declaration", suggest("unknown declaration '\(word)'", suggestion))
    }

    static func unknownExampleField(_ name: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-example-field", suggest("unknown patient field '\(name)' in example", suggestion))
    }

    static func unknownFieldType(_ found: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-field-type", suggest("a field's type is yes/no, number, date or text, not \(found)", suggestion))
    }

    static func unknownFunction(_ name: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-function", suggest("unknown function '\(name)'", suggestion))
    }

    static func unknownMapTarget(_ name: String, suggestion: String?) -> DiagnosticMessage {
        warning(
            "unknown-map-target",
            suggest(
                "'\(name)' is not a patient column, an event column or a declared field, so rules cannot use it",
                suggestion))
    }

    static func unknownName(_ name: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-name", suggest("unknown name '\(name)'", suggestion))
    }

    static func unknownOutcome(_ name: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-outcome", suggest("unknown outcome '\(name)'", suggestion))
    }

    static func unknownStatement(_ word: String, in block: String, suggestion: String?) -> DiagnosticMessage {
        error("unknown-statement", suggest("unknown statement '\(word)' in \(block)", suggestion))
    }

    static func unknownWeekday(_ found: String, suggestion: String?) -> DiagnosticMessage {
        error(
            "unknown-weekday",
            suggest("expected a day of the week (mon, tue, wed, thu, fri, sat, sun), but found \(found)", suggestion))
    }

    static func unreadableFile(_ written: String, reason: String) -> DiagnosticMessage {
        error("unreadable-file", "cannot read '\(written)': \(reason)")
    }

    static let unterminatedText = error("unterminated-text", "this text has no closing '\"'")

    static func windowDependsOnPatient(_ word: String) -> DiagnosticMessage {
        error(
            "window-depends-on-patient",
            "the date after '\(word)' must be the same for everyone (a date, 'today', or a define of those), not a patient's own date; "
                + "compare dates instead, e.g. 'last(CODELIST) >= date_of_birth + 18 years'")
    }

    static func windowNeedsDate(_ word: String, found: ValueType) -> DiagnosticMessage {
        error("window-needs-date", "'\(word)' needs a date, but this is \(found)")
    }

    static func windowNotAllowed(_ function: String) -> DiagnosticMessage {
        error(
            "window-not-allowed",
            "'\(function)' does not take a window; windows (within, since, before, between) are for event functions")
    }

    static func withinNeedsDuration(found: String) -> DiagnosticMessage {
        error("within-needs-duration", "'within' needs a length of time, such as 'within 90 days', not '\(found)'")
    }

    static func workerIdNotFileName(_ worker: String, limit: Int) -> DiagnosticMessage {
        error(
            "worker-id-not-file-name",
            "worker id '\(worker.count > 40 ? String(worker.prefix(40)) + "…" : worker)' names the worker's call list "
                + "file, so it must be 1 to \(limit) letters, digits, '_' or '-' (this one is \(worker.utf8.count) bytes)"
        )
    }

    static func workerNoCapacity(_ worker: String) -> DiagnosticMessage {
        error("worker-no-capacity", "worker '\(worker)' has no 'calls per day', so could never be given a call")
    }

    static func worksOutsideTeam(_ worker: String, day: String) -> DiagnosticMessage {
        warning(
            "works-outside-team", "worker '\(worker)' works on \(day), but the team does not, so gets no calls that day"
        )
    }

    static func writeYesNo(_ written: String) -> DiagnosticMessage {
        error("write-yes-no", "write 'yes/no' for a yes-or-no field, not '\(written)'")
    }
}
