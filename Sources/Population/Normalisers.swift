import Basics

// Byte-level helpers the normalisers share. Each normaliser (`NHSNumber`, `DateValue`, `Postcode`,
// `PhoneNumber`, …) has a file named after it.

/// A field's bytes as the CSV reader hands them out (valid only while the reader holds them).
public typealias FieldBytes = UnsafeBufferPointer<UInt8>

extension UInt8 {
    @usableFromInline var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    @usableFromInline var isLetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    @usableFromInline var isSpace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D || self == 0xA0 }
    @usableFromInline var lowercased: UInt8 { isLetter ? self | 0x20 : self }
    @usableFromInline var uppercased: UInt8 { isLetter ? self & ~0x20 : self }
}

/// Byte-level helpers shared by the normalisers.
enum Bytes {
    /// The range of `bytes` without leading and trailing spaces, tabs and line breaks.
    @inline(__always)
    static func trimmed(_ bytes: FieldBytes) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start].isSpace { start += 1 }
        while end > start, bytes[end - 1].isSpace { end -= 1 }
        return start..<end
    }

    /// Runs `body` with the UTF-8 bytes of a string.
    static func with<R>(_ text: String, _ body: (FieldBytes) -> R) -> R {
        var copy = text
        return copy.withUTF8 { body($0) }
    }

    /// Whether trimmed bytes equal an ASCII word, ignoring case.
    static func equalsIgnoringCase(_ bytes: FieldBytes, _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset].lowercased != pointer[offset].lowercased {
            return false
        }
        return true
    }
}
