import Basics

/// When the day's lists are published: the policy's `publish lists at` time (Europe/London) on
/// each day the team works, once. Pure functions of the instant and two questions about days, so
/// tests drive them without processes or real time.
public enum PublishSchedule {
    /// The day whose lists are due at `now`, or `nil`: today, when the team works today, the
    /// publish time has come, and today is not published yet.
    ///
    /// Catch-up is the same rule: a service that was down at the publish time publishes at its
    /// first cycle after it. Earlier days missed while it was down are not published (a list for a
    /// day that is over cannot be called; their calls are planned from today instead).
    /// - Parameter publishAt: minutes after local midnight (`RuleSet.policy.publishAt`).
    public static func dayDue(
        at now: LocalDateTime, publishAt: Int, isOpen: (Day) -> Bool, isPublished: (Day) -> Bool,
        lastPublished: Day? = nil
    ) -> Day? {
        guard now.minuteOfDay >= publishAt, isOpen(now.day), !isPublished(now.day) else { return nil }
        if let lastPublished, now.day < lastPublished { return nil }  // lists go forward only
        return now.day
    }

    /// Whether a due publish should wait for inbox files still arriving: an extract or a returned
    /// list being copied at the publish time belongs in the plan. It waits at most `holdMinutes`
    /// past the publish time, so a file that never completes cannot stop the lists going out.
    public static func shouldHold(at now: LocalDateTime, publishAt: Int, filesArriving: Bool, holdMinutes: Int = 10)
        -> Bool
    {
        filesArriving && now.minuteOfDay < publishAt + holdMinutes
    }

    /// When the next publish falls due: today's publish time while today is open and not yet
    /// published (in the past when it is due now), else the next open day's; `nil` when no day in
    /// the coming year is open.
    public static func nextPublish(
        after now: LocalDateTime, publishAt: Int, isOpen: (Day) -> Bool, isPublished: (Day) -> Bool,
        lastPublished: Day? = nil
    ) -> LocalDateTime? {
        var day = now.day
        if let lastPublished, lastPublished >= day { day = lastPublished.adding(days: 1) }  // lists go forward only
        for _ in 0..<366 {
            if isOpen(day), !isPublished(day) {
                return LocalDateTime(day: day, minuteOfDay: publishAt)
            }
            day = day.adding(days: 1)
        }
        return nil
    }

    /// Working days after the last published day and before today that were never published:
    /// the service was down at their publish time. At most `limit` days, oldest first.
    public static func missedDays(
        lastPublished: Day?, today: Day, isOpen: (Day) -> Bool, isPublished: (Day) -> Bool, limit: Int = 31
    ) -> [Day] {
        guard let lastPublished else { return [] }
        var missed: [Day] = []
        var day = lastPublished.adding(days: 1)
        while day < today, missed.count < limit {
            if isOpen(day), !isPublished(day) { missed.append(day) }
            day = day.adding(days: 1)
        }
        return missed
    }

    /// The warning for working days the schedule skipped (`nil` when none): the service was down
    /// at their publish time, or its clock jumped past it.
    public static func missedWarning(_ missed: [Day]) -> String? {
        guard !missed.isEmpty else { return nil }
        return "not published while the service was down or its clock jumped past the publish time: "
            + missed.map(\.description).joined(separator: ", ") + " (their calls are planned from today)"
    }

    /// The warning for a published day after today: the clock was wrong when it was published (or
    /// is wrong now). Lists go forward only, so nothing is published until that day has passed.
    /// Days only: no patient data.
    public static func aheadOfClockWarning(published: Day, today: Day) -> String {
        "lists for \(published) are published, but the clock says today is \(today): "
            + "the clock was wrong when they were published, or is wrong now. Outreach publishes forward only, "
            + "so no lists are published until after \(published). The lists up to \(published) stand; "
            + "check the clock, then either wait (calls resume on the first working day after \(published)) "
            + "or start a new home from fresh extracts (see 'A day published ahead of the clock' in the README)"
    }

    /// What `outreach schedule` adds to its summary when a published day is after `today` (the
    /// wall clock's): the ahead-of-clock warning, or `nil` when the lists are not ahead of the clock.
    public static func aheadOfClockNote(lastPublished: Day?, today: Day) -> String? {
        guard let lastPublished, lastPublished > today else { return nil }
        return "WARNING: " + aheadOfClockWarning(published: lastPublished, today: today) + ".\n"
    }
}
