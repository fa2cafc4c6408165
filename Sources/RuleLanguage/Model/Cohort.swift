import Basics
import Vocabulary

/// A checked cohort.
public struct Cohort: Sendable, Hashable {
    /// The lower-case id, used in call lists and journals.
    public let id: String
    public let title: String
    /// 1 is most urgent.
    public let priority: Int
    /// A person is a member when any include is definitely yes …
    public let includes: [RuleExpression]
    /// … and no exclude is definitely yes.
    public let excludes: [RuleExpression]
    /// Why the person is on the list (the title when the rules give no `reason`).
    public let reason: Template
    public let talkAbout: Template?
    public let callWithin: Period?
    public let recallEvery: Period?
    /// Skills a worker must have to take these calls (lower case).
    public let needsSkills: [String]
    /// The cohort's own escalation text, or `nil` for the policy's.
    public let whenUnreachable: String?
    /// The cohort's own `write when unreachable: yes|no`, or `nil` for the policy's.
    public let writeWhenUnreachable: Bool?
    /// The cohort's own retry rules, overriding the policy's for those outcomes.
    public let retries: [RetryRule]
    /// The cohort's id in its declaration.
    public let range: SourceRange
}

extension Cohort {
    /// Whether the team writes to a member of this cohort when retries run out: the cohort's own
    /// `write when unreachable`, else the policy's. A cohort that escalates to a welfare check says
    /// `no`, so a letter does not stand in for it.
    public func writes(when policy: Policy) -> Bool {
        writeWhenUnreachable ?? policy.writeWhenUnreachable
    }
}
