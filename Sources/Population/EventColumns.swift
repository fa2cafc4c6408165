import Basics

/// An events file's layout reduced to what the byte scanner needs.
public struct EventColumns: Sendable {
    public let file: String
    let nhs: Int
    let code: Int
    let date: Int
    let value: Int
    let last: Int
    let latest: Day

    /// The scanning layout of an events file.
    public init(layout: FileLayout, latest: Day) {
        file = layout.file
        nhs = layout.index(of: .nhsNumber) ?? 0
        code = layout.index(of: .code) ?? 0
        date = layout.index(of: .date) ?? 0
        value = layout.index(of: .value) ?? -1
        last = max(nhs, code, date, value)
        self.latest = latest
    }
}
