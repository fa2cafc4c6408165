import Basics
import Cohorts
import Handoffs
import Journal
import Planning
import Population
import RuleLanguage

/// What publishing a day did.
public struct PublishResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The lists were published.
        case published
        /// The day was published before: a published day is never planned again.
        case alreadyPublished
        /// The team does not work that day (the reason in words).
        case closed(String)
        /// A later day is published already: lists are published forward only, since each day's
        /// plan builds on the calls of the days before it.
        case beforeLastPublished(Day)
    }

    public let day: Day
    public let outcome: Outcome
    /// The plan behind the lists (`nil` when nothing was planned).
    public let plan: Plan?
    /// The lists written, by worker id.
    public let lists: [(worker: String, name: String, rows: [CallListRow])]
    /// How many people are in at least one cohort.
    public let peopleInCohorts: Int
    /// Items of earlier days marked not returned this morning.
    public let notReturned: Int
    /// Practices not called from because their newest extract is stale.
    public var staleExtracts: [StaleExtract] = []
    /// The policy's words for staleness, for the summary.
    var staleAfter: Period = .days(14)
    /// With `text before calling: yes`, the texts announcing the next working day's calls.
    public var texts: Texts?
    /// The cohorts the day was planned from, for the report refreshed after the publish (so it
    /// need not read and evaluate the extracts again).
    public internal(set) var run: CohortRun?
    /// The day's cases, with what the publish recorded since they were built, for the same report.
    public internal(set) var cases: BuiltCases?
    /// People a text told we would ring today who are not on today's lists (they can no longer
    /// be called, or nobody who may call them works today): someone should tell them.
    public var announcedNotListed = 0

    /// The warning about ``announcedNotListed``, or `nil` when every text was kept.
    public var announcedNotListedWarning: String? {
        guard announcedNotListed > 0 else { return nil }
        return "WARNING: \(Formatting.count(announcedNotListed, "person", "people")) texted that we would ring on "
            + "\(day) \(announcedNotListed == 1 ? "is" : "are") not on its lists (they can no longer be called, or "
            + "nobody who may call them works that day): tell them, or check with 'outreach explain'"
    }

    /// The texts a publish wrote into `outbox/DAY/texts/` for the next working day's calls.
    public struct Texts: Sendable {
        /// The day the texts say we will ring.
        public let day: Day
        public let announced: Int
        public let files: Int
        public let left: ExportExclusions

        /// `Texts for Tue 24 Nov: 37 people (outbox/2026-11-23/texts/); left out: 12 no UK mobile number`.
        public func line(publishedDay: Day) -> String {
            "Texts for \(day.shortDescription): \(Formatting.count(announced, "person", "people")) "
                + "(outbox/\(publishedDay)/\(Publisher.textsFolder)/); left out: \(left.summary)"
        }
    }

    /// The plan summary printed by `outreach schedule`.
    public var summary: String {
        switch outcome {
        case .alreadyPublished:
            return "\(day) was published already; nothing to do (a published day is never re-planned).\n"
        case .closed(let reason): return "\(day) is \(reason); no lists to publish.\n"
        case .beforeLastPublished(let last):
            return "\(day) comes before \(last), which is published already; lists are published forward only.\n"
        case .published: break
        }
        let total = lists.reduce(0) { $0 + $1.rows.count }
        var stale = ""
        if !staleExtracts.isEmpty {
            var policy = Policy()
            policy.extractsStaleAfter = staleAfter
            stale = ExtractFreshness.explanation(staleExtracts, policy: policy).joined(separator: ".\n") + ".\n\n"
        }
        var text =
            "Published \(Formatting.count(total, "call")) for \(day.weekday.fullName.capitalized) \(day.humanDescription) "
        text += "from \(Formatting.count(peopleInCohorts, "person", "people")) in cohorts.\n\n" + stale
        var table = TextTable(header: ["worker", "name", "calls", "list"], alignments: [.left, .left, .right, .left])
        for list in lists {
            table.append([list.worker, list.name, String(list.rows.count), "outbox/\(day)/\(list.worker).csv"])
        }
        text += table.render(indent: "  ") + "\n"
        if let plan {
            var reasons: [String: Int] = [:]
            for case let reason? in plan.notListed { reasons[reason.description, default: 0] += 1 }
            if !reasons.isEmpty {
                text += "\nNot on today's lists:\n"
                var why = TextTable(columns: 2, alignments: [.right, .left])
                for (reason, count) in reasons.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                    why.append([Formatting.grouped(count), reason])
                }
                text += why.render(indent: "  ") + "\n"
            }
            let ahead = plan.days.dropFirst().map { "\($0.day.shortDescription) \($0.calls.count)" }
            if !ahead.isEmpty { text += "\nProvisional: " + ahead.joined(separator: ", ") + " calls.\n" }
        }
        if let texts { text += "\n" + texts.line(publishedDay: day) + "\n" }
        if let warning = announcedNotListedWarning { text += "\n" + warning + ".\n" }
        if notReturned > 0 {
            text +=
                "\n\(Formatting.count(notReturned, "item")) from earlier lists did not come back: back in the queue.\n"
        }
        return text
    }
}
