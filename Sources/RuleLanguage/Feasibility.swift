/// Finds cohorts that no one could ever be in: every `include if` contradicts itself
/// (`age >= 75 and age < 18`, `imd_decile > 10`, `no`), or an `exclude if` always holds or
/// repeats the only include. Conservative: it reports only what is certain.
enum Feasibility {
    /// Why the cohort is always empty, or `nil` when someone could be in it.
    ///
    /// A block with mistakes is judged from the conditions that did check, and the answer is still
    /// certain: an `exclude if` always yes empties the cohort whatever else it holds; the
    /// `include if`s (any of which lets a person in) are judged only when `includesComplete`, as a
    /// wrong one, once put right, might let people in. Excludes that did not check only remove more.
    static func whyEmpty(
        includes: [RuleExpression], excludes: [RuleExpression], includesComplete: Bool,
        defines: [String: RuleExpression]
    ) -> String? {
        let defines = Defines(defines)
        for exclude in excludes where isAlwaysTrue(exclude, defines) {
            return "an 'exclude if' is always yes"
        }
        guard includesComplete, !includes.isEmpty else { return nil }
        let excluded = Set(excludes.map(\.description))
        let impossible = includes.allSatisfy { include in
            excluded.contains(include.description) || isNeverTrue(include, defines)
        }
        return impossible ? "its 'include if' conditions can never all hold" : nil
    }

    /// The checked defines, with what is known of each remembered: a define used twice (`define
    /// d0 = d1 and d1`, `define d1 = d2 and d2`, …) is judged once, not once per path to it, which
    /// would double the work at every level of such a chain.
    private final class Defines {
        let bodies: [String: RuleExpression]
        var alwaysTrue: [String: Bool] = [:]
        var neverTrue: [String: Bool] = [:]

        init(_ bodies: [String: RuleExpression]) { self.bodies = bodies }
    }

    private static func isAlwaysTrue(_ expression: RuleExpression, _ defines: Defines) -> Bool {
        switch expression.kind {
        case .literal(.yesNo(true)): return true
        case .define(let name):
            if let known = defines.alwaysTrue[name] { return known }
            defines.alwaysTrue[name] = false  // defines do not form cycles; this only guards
            let answer = defines.bodies[name].map { isAlwaysTrue($0, defines) } ?? false
            defines.alwaysTrue[name] = answer
            return answer
        case .or(let a, let b): return isAlwaysTrue(a, defines) || isAlwaysTrue(b, defines)
        case .and(let a, let b): return isAlwaysTrue(a, defines) && isAlwaysTrue(b, defines)
        case .not(let inner): return isNeverTrue(inner, defines)
        default: return false
        }
    }

    private static func isNeverTrue(_ expression: RuleExpression, _ defines: Defines) -> Bool {
        switch expression.kind {
        case .literal(.yesNo(false)): return true
        case .define(let name):
            if let known = defines.neverTrue[name] { return known }
            defines.neverTrue[name] = false
            let answer = defines.bodies[name].map { isNeverTrue($0, defines) } ?? false
            defines.neverTrue[name] = answer
            return answer
        case .or(let a, let b): return isNeverTrue(a, defines) && isNeverTrue(b, defines)
        case .not(let inner): return isAlwaysTrue(inner, defines)
        case .and:
            var atoms: [RuleExpression] = []
            var expanded: Set<String> = []
            flatten(expression, defines, expanded: &expanded, into: &atoms)
            return atoms.contains { isNeverTrue($0, defines) } || contradicts(atoms)
        default:
            return contradicts([expression])
        }
    }

    /// The conjuncts of an `and` chain, looking through defines. A define met again adds nothing
    /// new to a conjunction, so each is expanded once: the atoms grow with the text, not with the
    /// number of paths through the defines.
    private static func flatten(
        _ expression: RuleExpression, _ defines: Defines, expanded: inout Set<String>,
        into atoms: inout [RuleExpression]
    ) {
        switch expression.kind {
        case .and(let a, let b):
            flatten(a, defines, expanded: &expanded, into: &atoms)
            flatten(b, defines, expanded: &expanded, into: &atoms)
        case .define(let name):
            if let body = defines.bodies[name], case .and = body.kind {
                guard expanded.insert(name).inserted else { return }
                flatten(body, defines, expanded: &expanded, into: &atoms)
            } else {
                atoms.append(expression)
            }
        default:
            atoms.append(expression)
        }
    }

    /// A range of numbers, each end open or closed.
    private struct Interval {
        var low = -Double.infinity, lowClosed = true
        var high = Double.infinity, highClosed = true

        var isEmpty: Bool { low > high || (low == high && !(lowClosed && highClosed)) }

        mutating func atLeast(_ value: Double, closed: Bool) {
            if value > low || (value == low && !closed) { (low, lowClosed) = (value, closed) }
        }

        mutating func atMost(_ value: Double, closed: Bool) {
            if value < high || (value == high && !closed) { (high, highClosed) = (value, closed) }
        }
    }

    /// Whether numeric bounds or text equalities on the same subject leave no possible value.
    private static func contradicts(_ atoms: [RuleExpression]) -> Bool {
        var intervals: [String: Interval] = [:]
        var allowed: [String: Set<Value>] = [:]
        func interval(for subject: RuleExpression) -> Interval {
            if let existing = intervals[subject.description] { return existing }
            var fresh = Interval()
            switch subject.kind {
            case .age: fresh.atLeast(0, closed: true)
            case .column(.imdDecile):
                fresh.atLeast(1, closed: true)
                fresh.atMost(10, closed: true)
            default: break
            }
            return fresh
        }
        func restrict(_ subject: RuleExpression, to values: Set<Value>) {
            let key = subject.description
            allowed[key] = allowed[key].map { $0.intersection(values) } ?? values
        }
        for atom in atoms {
            switch atom.kind {
            case .comparison(let op, let left, let right):
                var (subject, constant, op) = (left, right, op)
                if case .literal = left.kind {
                    (subject, constant) = (right, left)
                    op = flipped(op)
                }
                guard case .literal(let value) = constant.kind else { continue }
                if case .literal = subject.kind { continue }
                if op == .equal { restrict(subject, to: [value]) }
                guard case .number(let number) = value else { continue }
                var range = interval(for: subject)
                switch op {
                case .equal:
                    range.atLeast(number, closed: true)
                    range.atMost(number, closed: true)
                case .less: range.atMost(number, closed: false)
                case .lessOrEqual: range.atMost(number, closed: true)
                case .greater: range.atLeast(number, closed: false)
                case .greaterOrEqual: range.atLeast(number, closed: true)
                case .notEqual: break
                }
                intervals[subject.description] = range
            case .between(let subject, let low, let high):
                guard case .literal(.number(let a)) = low.kind, case .literal(.number(let b)) = high.kind else {
                    continue
                }
                var range = interval(for: subject)
                range.atLeast(a, closed: true)
                range.atMost(b, closed: true)
                intervals[subject.description] = range
            case .membership(let subject, let values, negated: false):
                restrict(subject, to: Set(values))
            default:
                continue
            }
        }
        if intervals.values.contains(where: \.isEmpty) { return true }
        return allowed.values.contains { $0.isEmpty }
    }

    private static func flipped(_ op: ComparisonOperator) -> ComparisonOperator {
        switch op {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        case .equal, .notEqual: return op
        }
    }
}
