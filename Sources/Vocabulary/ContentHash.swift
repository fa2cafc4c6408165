import Basics

/// A SHA-256 digest: the identity of an ingested file's bytes, or of a rule set.
///
/// Ingestion is idempotent by content, not by name: the same bytes under another name are the
/// same file. Kept as four words rather than a hex string, so it is 32 bytes in a record and
/// hashing and comparing it costs nothing.
public struct ContentHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The digest as four big-endian words: how a journal record stores it.
    public let words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// The digest of `bytes`.
    public init(of bytes: some Collection<UInt8>) {
        var hasher = SHA256()
        hasher.update(bytes)
        self.init(digest: hasher.finalize())!
    }

    /// A digest from its 32 bytes, or `nil` when there are not exactly 32.
    public init?(digest: some Collection<UInt8>) {
        guard digest.count == 32 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in digest.enumerated() {
            words[index / 8] = words[index / 8] << 8 | UInt64(byte)
        }
        self.words = (words[0], words[1], words[2], words[3])
    }

    /// Parses 64 hex digits (either case), as ``hex`` writes them.
    public init?(hex: some StringProtocol) {
        let text = Array(hex.utf8)
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = ContentHash.nibble(text[index]), let low = ContentHash.nibble(text[index + 1])
            else { return nil }
            bytes.append(high << 4 | low)
        }
        self.init(digest: bytes)
    }

    /// The 32 bytes, most significant first (as SHA-256 prints them).
    public var bytes: [UInt8] {
        [words.0, words.1, words.2, words.3].flatMap { word in
            (0..<8).map { UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * $0)) }
        }
    }

    /// 64 lower-case hex digits, the form `sha256sum` prints.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first 12 hex digits: enough to tell files apart in a log line or a file name.
    public var shortHex: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public static func == (lhs: ContentHash, rhs: ContentHash) -> Bool {
        lhs.words == rhs.words
    }

    public static func < (lhs: ContentHash, rhs: ContentHash) -> Bool {
        lhs.words < rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
