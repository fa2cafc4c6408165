import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The codes a rule set uses, each given a dense id (0, 1, 2…), looked up straight from a
/// field's bytes with no allocation.
///
/// SNOMED CT ids (digits, no leading zero, up to 19 digits) are keyed as `UInt64`; any other
/// code (EMIS local codes, Read/CTV3 such as `1461.`) is keyed by its bytes, case-sensitively.
public struct CodeTable: Sendable {
    /// The distinct codes, by id.
    public let codes: [String]
    private var numericKeys: [UInt64]
    private var numericIds: [Int32]
    private let numericMask: Int
    private var textStore: [UInt8] = []
    private var textSlots: [Int32]
    private var textRanges: [(start: Int, count: Int)] = []
    private let textMask: Int

    /// A table of `codes` (surrounding spaces ignored); a code listed twice keeps its first id.
    public init(_ codes: [String]) {
        var distinct: [String] = []
        var seen: Set<String> = []
        for code in codes.map(\.trimmed) where !code.isEmpty && seen.insert(code).inserted { distinct.append(code) }
        self.codes = distinct
        var capacity = 16
        while capacity < distinct.count * 2 { capacity <<= 1 }
        numericKeys = [UInt64](repeating: 0, count: capacity)
        numericIds = [Int32](repeating: -1, count: capacity)
        numericMask = capacity - 1
        textSlots = [Int32](repeating: -1, count: capacity)
        textMask = capacity - 1
        textRanges = Array(repeating: (0, 0), count: distinct.count)
        for (id, code) in distinct.enumerated() {
            let bytes = Array(code.utf8)
            if let number = CodeTable.numericKey(bytes) {
                var slot = PatientIndex.hash(number) & numericMask
                while numericIds[slot] >= 0 { slot = (slot + 1) & numericMask }
                numericKeys[slot] = number
                numericIds[slot] = Int32(id)
            } else {
                textRanges[id] = (textStore.count, bytes.count)
                textStore.append(contentsOf: bytes)
                var slot = bytes.withUnsafeBufferPointer { CodeTable.hash($0) } & textMask
                while textSlots[slot] >= 0 { slot = (slot + 1) & textMask }
                textSlots[slot] = Int32(id)
            }
        }
    }

    /// How many distinct codes.
    public var count: Int { codes.count }

    /// The id of a code, or `nil` when the table does not hold it.
    public func id(of code: String) -> Int32? {
        var copy = code.trimmed
        return copy.withUTF8 { id(of: $0) }
    }

    /// The id of the code in `bytes` (already trimmed), or `nil`.
    @inline(__always)
    public func id(of bytes: FieldBytes) -> Int32? {
        if let number = CodeTable.numericKey(bytes) { return id(ofNumber: number) }
        var slot = CodeTable.hash(bytes) & textMask
        while true {
            let id = textSlots[slot]
            if id < 0 { return nil }
            let range = textRanges[Int(id)]
            if range.count == bytes.count {
                let equal = textStore.withUnsafeBufferPointer { store in
                    memcmp(store.baseAddress! + range.start, bytes.baseAddress!, range.count) == 0
                }
                if equal { return id }
            }
            slot = (slot + 1) & textMask
        }
    }

    /// The id of a SNOMED CT id already read as a number (``numericKey(_:)``), or `nil`.
    @inline(__always)
    func id(ofNumber number: UInt64) -> Int32? {
        var slot = PatientIndex.hash(number) & numericMask
        while true {
            let id = numericIds[slot]
            if id < 0 { return nil }
            if numericKeys[slot] == number { return id }
            slot = (slot + 1) & numericMask
        }
    }

    @inline(__always)
    static func numericKey(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard let first = bytes.first, first != 0x30, bytes.count <= 19 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)  // 19 digits fit in a UInt64: no overflow to check
        }
        return value
    }

    @inline(__always)
    static func hash(_ bytes: FieldBytes) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Int(truncatingIfNeeded: hash >> 17)
    }
}
