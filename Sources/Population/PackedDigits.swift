/// Eight ASCII digits tested and read at once, as one 64-bit word loaded from where they are
/// written (the first digit in the lowest byte, as a little-endian load leaves it): the event
/// scan reads every row's NHS number, date and code this way instead of a byte at a time.
enum PackedDigits {
    /// The eight bytes at `address` as a word, the first in its lowest byte.
    @inline(__always)
    static func load(_ address: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(address).loadUnaligned(as: UInt64.self))
    }

    /// Whether every byte of `word` is an ASCII digit.
    @inline(__always)
    static func areDigits(_ word: UInt64) -> Bool {
        wrongBytes(word) == 0
    }

    /// The high bit of each byte of `word` that is not an ASCII digit, every other bit clear: 0
    /// when all eight are digits.
    @inline(__always)
    static func nonDigits(_ word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let wrong = wrongBytes(word)
        // Each non-zero byte to its high bit alone, without carries between bytes.
        return ((wrong & lows) &+ lows | wrong) & ~lows
    }

    /// `word` with a non-zero byte exactly where a byte is not an ASCII digit: its high half is
    /// not 3, or its low half is above 9 (adding 6 to a low half above 9 carries into the byte's
    /// own high half, never into the next byte).
    @inline(__always)
    private static func wrongBytes(_ word: UInt64) -> UInt64 {
        (word & 0xF0F0_F0F0_F0F0_F0F0 ^ 0x3030_3030_3030_3030)
            | (((word & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0)
    }

    /// 10 to the power of `digits`, for 1 to 7 digits (a part of a word ``value(_:)`` reads).
    @inline(__always)
    static func powerOfTen(_ digits: Int) -> UInt64 {
        switch digits {
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        default: 10_000_000
        }
    }

    /// The number the eight digits of `word` make: neighbouring digits are joined into pairs, pairs
    /// into fours, fours into the whole, each step in place. Only each byte's low half is read, so
    /// every byte must be a digit (``areDigits(_:)``) or zero (read as a leading 0).
    @inline(__always)
    static func value(_ word: UInt64) -> UInt64 {
        var value = word & 0x0F0F_0F0F_0F0F_0F0F
        value = (value &* 10 &+ value >> 8) & 0x00FF_00FF_00FF_00FF
        value = (value &* 100 &+ value >> 16) & 0x0000_FFFF_0000_FFFF
        return (value &* 10_000 &+ value >> 32) & 0xFFFF_FFFF
    }
}
