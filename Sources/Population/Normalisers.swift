import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Byte-level helpers the normalisers share. Each normaliser (`NHSNumber`, `DateValue`, `Postcode`,
// `PhoneNumber`, …) has a file named after it.

/// A field's bytes as the CSV reader hands them out (valid only while the reader holds them).
public typealias FieldBytes = UnsafeBufferPointer<UInt8>

extension UInt8 {
    @usableFromInline var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    @usableFromInline var isLetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    /// An ASCII space, tab, CR or LF: the only bytes that are a space in every encoding a cell may
    /// be in. (`A0` is not one: it is Windows-1252's no-break space, but in UTF-8 it ends `à`, `Š`,
    /// `Ġ`, `Р`, `蠠` and the no-break space `C2 A0` itself.)
    @usableFromInline var isASCIISpace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
    @usableFromInline var lowercased: UInt8 { isLetter ? self | 0x20 : self }
    @usableFromInline var uppercased: UInt8 { isLetter ? self & ~0x20 : self }
}

/// Byte-level helpers shared by the normalisers.
enum Bytes {
    /// The range of `bytes` without leading and trailing spaces as the cell decodes (see
    /// `CSVReader.decode`): ASCII spaces, tabs and line breaks, and no-break spaces (U+00A0), which
    /// are `C2 A0` in a cell that is valid UTF-8 and `A0` in one that is not (read as
    /// Windows-1252). A byte `A0` is never cut from a UTF-8 cell on its own.
    @inline(__always)
    static func trimmed(_ bytes: FieldBytes) -> Range<Int> {
        let range = trimmedASCII(bytes)
        // A no-break space at an end starts with `C2` or `A0` and ends with `A0`, in either encoding.
        guard !range.isEmpty,
            bytes[range.lowerBound] == 0xC2 || bytes[range.lowerBound] == 0xA0 || bytes[range.upperBound - 1] == 0xA0
        else { return range }
        return trimmedNoBreakSpaces(bytes, range, isUTF8: isUTF8(FieldBytes(rebasing: bytes[range])))
    }

    /// The range of `bytes` without leading and trailing ASCII spaces, tabs and line breaks: safe
    /// before a cell is decoded, since those bytes are never part of another character.
    @inline(__always)
    static func trimmedASCII(_ bytes: FieldBytes) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start].isASCIISpace { start += 1 }
        while end > start, bytes[end - 1].isASCIISpace { end -= 1 }
        return start..<end
    }

    /// `range` of `bytes` without the no-break spaces and ASCII spaces at its ends, the cell being
    /// UTF-8 (`isUTF8`, a no-break space is `C2 A0`) or Windows-1252 (it is `A0`).
    static func trimmedNoBreakSpaces(_ bytes: FieldBytes, _ range: Range<Int>, isUTF8: Bool) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end {
            if bytes[start].isASCIISpace {
                start += 1
            } else if isUTF8, end - start >= 2, bytes[start] == 0xC2, bytes[start + 1] == 0xA0 {
                start += 2
            } else if !isUTF8, bytes[start] == 0xA0 {
                start += 1
            } else {
                break
            }
        }
        while end > start {
            if bytes[end - 1].isASCIISpace {
                end -= 1
            } else if isUTF8, end - start >= 2, bytes[end - 2] == 0xC2, bytes[end - 1] == 0xA0 {
                // In valid UTF-8 `C2` only ever leads a character, so this is a whole no-break space.
                end -= 2
            } else if !isUTF8, bytes[end - 1] == 0xA0 {
                end -= 1
            } else {
                break
            }
        }
        return start..<end
    }

    /// Whether `bytes` are valid UTF-8 (ASCII included), without making a `String`.
    static func isUTF8(_ bytes: FieldBytes) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Runs `body` with the UTF-8 bytes of a string.
    static func with<R>(_ text: String, _ body: (FieldBytes) -> R) -> R {
        var copy = text
        return copy.withUTF8 { body($0) }
    }

    /// Whether every byte is ASCII (below `80`): eight bytes at a time, then the last few.
    @inline(__always)
    static func isASCII(_ bytes: FieldBytes) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var seen: UInt64 = 0
        var offset = 0
        while offset + 8 <= count {
            seen |= UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            offset += 8
        }
        while offset < count {
            seen |= UInt64(base[offset])
            offset += 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
    }

    /// Whether two runs of bytes are the same bytes.
    @inline(__always)
    static func equal(_ left: FieldBytes, _ right: FieldBytes) -> Bool {
        guard left.count == right.count else { return false }
        guard let a = left.baseAddress, let b = right.baseAddress else { return true }
        return memcmp(a, b, left.count) == 0
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
