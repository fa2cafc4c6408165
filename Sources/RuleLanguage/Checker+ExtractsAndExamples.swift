// Checking extract profiles and worked examples.

import Basics
import Vocabulary

extension Checker {
    fileprivate static let eventColumns = ["code", "term", "date", "value"]

    mutating func checkExtract(_ syntax: ExtractSyntax) -> ExtractProfile {
        var mappings: [ExtractProfile.Mapping] = []
        var headers: [String: SourceRange] = [:]
        let targets = PatientColumn.allCases.map(\.name) + Checker.eventColumns + fields.keys.sorted()
        for mapping in syntax.mappings {
            let normalised = mapping.header.value.lowercased().trimmingSpaces
            // A header mapped twice is reported, and its target still checked; only the first counts.
            var counts = true
            if let first = headers[normalised] {
                report(
                    Messages.headerMappedTwice(mapping.header.value, first: sources.describe(first)),
                    at: mapping.header.range)
                counts = false
            } else {
                headers[normalised] = mapping.header.range
            }
            let target = mapping.target.key
            if !targets.contains(target) {
                report(
                    Messages.unknownMapTarget(
                        mapping.target.text, suggestion: Suggestions.closest(to: target, among: targets)),
                    at: mapping.target.range)
            } else if fields[target] != nil {
                used.insert(target)
            }
            if counts { mappings.append(ExtractProfile.Mapping(sourceHeader: mapping.header.value, target: target)) }
        }
        return ExtractProfile(name: syntax.name.key, mappings: mappings, range: syntax.name.range)
    }

    mutating func checkExample(_ syntax: ExampleSyntax) -> RuleExample? {
        var asOf: Day?
        var birth: RuleExample.Birth?
        var settings: [RuleExample.Setting] = []
        var events: [RuleExample.Event] = []
        var expectations: [RuleExample.Expectation] = []
        var ok = true
        var sawExpect = false
        // A setting of an unknown name may be a misspelt statement ('expcet in x'), as may a line
        // the parser could not read: either may have been the 'expect'.
        var couldBeMisspelt = !syntax.skippedLines.isEmpty
        var seen: [String: SourceRange] = [:]
        let cohortNames = cohortIDs.keys.sorted()
        for statement in syntax.statements {
            switch statement.kind {
            case .asOf(let day):
                if let first = seen["as of"] {
                    report(Messages.statementTwice("as of", first: sources.describe(first)), at: statement.range)
                    ok = false
                }
                seen["as of"] = statement.range
                asOf = day.value
            case .age(let years):
                if let first = seen["age"] {
                    report(Messages.statementTwice("age or born", first: sources.describe(first)), at: statement.range)
                    ok = false
                }
                seen["age"] = statement.range
                birth = .age(years.value)
            case .born(let day):
                if let first = seen["age"] {
                    report(Messages.statementTwice("age or born", first: sources.describe(first)), at: statement.range)
                    ok = false
                }
                seen["age"] = statement.range
                birth = .born(day.value)
            case .set(let name, let value):
                guard let setting = checkSetting(name, value, range: statement.range) else {
                    if PatientColumn(rawValue: name.key) == nil, symbols[name.key]?.kind != .field, name.key != "age" {
                        couldBeMisspelt = true
                    }
                    ok = false
                    continue
                }
                settings.append(setting)
            case .event(let code, let day, let value):
                switch code {
                case .codelist(let name):
                    guard resolveCodelist(name, function: "event") else {
                        ok = false
                        continue
                    }
                    events.append(
                        RuleExample.Event(
                            code: .codelist(name.key), day: day.value, value: value?.value, range: statement.range))
                case .code(let text):
                    events.append(
                        RuleExample.Event(
                            code: .code(text.value), day: day.value, value: value?.value, range: statement.range))
                }
            case .expect(let cohort, let member):
                sawExpect = true
                if cohortIDs[cohort.key] == nil, let symbol = symbols[cohort.key] {
                    report(Messages.notACohort(cohort.text, kind: symbol.kind.described), at: cohort.range)
                    ok = false
                    continue
                }
                guard cohortIDs[cohort.key] != nil else {
                    report(
                        Messages.unknownCohort(
                            cohort.text, suggestion: Suggestions.closest(to: cohort.key, among: cohortNames)),
                        at: cohort.range)
                    ok = false
                    continue
                }
                expectations.append(RuleExample.Expectation(cohort: cohort.key, member: member, range: statement.range))
            }
        }
        // Any other mistake in the example says nothing about whether it expects something.
        if !sawExpect, !couldBeMisspelt {
            report(Messages.exampleExpectsNothing(syntax.title?.value ?? ""), at: syntax.range)
        }
        guard ok, let title = syntax.title else { return nil }
        return RuleExample(
            title: title.value, asOf: asOf, birth: birth, settings: settings, events: events,
            expectations: expectations,
            range: syntax.range)
    }

    fileprivate mutating func checkSetting(_ name: NameSyntax, _ value: Located<ExampleValueSyntax>, range: SourceRange)
        -> RuleExample.Setting?
    {
        let key = name.key
        let target: RuleExample.Setting.Target
        let type: ValueType
        if let column = PatientColumn(rawValue: key) {
            target = .column(column)
            type = column.type
        } else if let field = fields[key] {
            used.insert(key)
            target = .field(key)
            type = field.type
        } else if key == "age" {
            report(Messages.exampleAgeNeedsNumber, at: value.range)
            return nil
        } else {
            if symbols[key]?.kind == .field { return nil }  // a field whose declaration was wrong
            let candidates =
                ["as of", "age", "born", "event", "expect"] + PatientColumn.allCases.map(\.name) + fields.keys.sorted()
            report(
                Messages.unknownExampleField(name.text, suggestion: Suggestions.closest(to: key, among: candidates)),
                at: name.range)
            return nil
        }
        let converted: Value?
        switch (type, value.value) {
        case (.text, .word(let text)), (.text, .text(let text)): converted = .text(text)
        case (.text, .number(let number)): converted = .text(Formatting.number(number))
        case (.number, .number(let number)): converted = .number(number)
        case (.date, .date(let day)): converted = .date(day)
        case (.yesNo, .truth(let truth)): converted = .yesNo(truth)
        default: converted = nil
        }
        guard let converted else {
            report(
                Messages.exampleValueType(name.text, expected: type, found: sources.text(value.range)), at: value.range)
            return nil
        }
        return RuleExample.Setting(target: target, value: converted, range: range)
    }
}
