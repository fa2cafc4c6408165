import Basics
import Vocabulary

/// A column of optional days stored compactly (4 bytes a patient; `Int32.min` means missing).
public struct DayColumn: Sendable, Hashable {
    static let missing = Int32.min
    public private(set) var ordinals: [Int32]

    public init(count: Int = 0) {
        ordinals = [Int32](repeating: DayColumn.missing, count: count)
    }

    public var count: Int { ordinals.count }

    /// The day for patient `index`, or `nil` when missing.
    public subscript(index: Int) -> Day? {
        get {
            let ordinal = ordinals[index]
            return ordinal == DayColumn.missing ? nil : Day(ordinal: ordinal)
        }
        set { ordinals[index] = newValue?.ordinal ?? DayColumn.missing }
    }

    mutating func append(_ day: Day?) {
        ordinals.append(day?.ordinal ?? DayColumn.missing)
    }

    mutating func append(contentsOf other: DayColumn, rows: Range<Int>) {
        ordinals.append(contentsOf: other.ordinals[rows])
    }

    mutating func reserveCapacity(_ count: Int) {
        ordinals.reserveCapacity(count)
    }

    mutating func removeAll() {
        ordinals.removeAll(keepingCapacity: true)
    }
}
