import Basics

/// A day from ISO text, `2026-11-23`; a test with a date that is not one stops with the text.
public func day(_ text: String) -> Day {
    guard let day = Day(iso: text) else { preconditionFailure("not an ISO date (YYYY-MM-DD): \(text)") }
    return day
}
