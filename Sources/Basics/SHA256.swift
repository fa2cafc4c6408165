import Intrinsics

/// SHA-256 (FIPS 180-4), for content hashes of ingested files: a file ingested twice is
/// recognised by its bytes, not its name. Foundation has no public hash on Linux.
///
/// Whole 64-byte blocks are compressed straight from the caller's buffer (only a block split
/// between two updates is copied): an ingest hashes every extract byte, so this runs at the speed
/// of the compression function. That is the processor's SHA instructions where it has them
/// (``SHA256Instructions``, about 1.8 GB/s), and otherwise portable rounds with the message
/// schedule kept in 16 words on the stack (about 270 MB/s).
public struct SHA256: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// The start of a block not yet complete (under 64 bytes).
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    /// Whether blocks go to the processor's SHA instructions; the portable rounds otherwise.
    let usesInstructions: Bool

    /// The round constants (FIPS 180-4).
    static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    public init() {
        self.init(usingInstructions: SHA256Instructions.isAvailable)
    }

    /// A hasher that uses the processor's instructions only when `usingInstructions` (and they
    /// exist): the tests compare the two paths.
    init(usingInstructions: Bool) {
        usesInstructions = usingInstructions && SHA256Instructions.isAvailable
    }

    /// The hex digest of `bytes` in one call.
    public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { update(Array(bytes)) }
    }

    /// Adds the bytes in a buffer to the message.
    ///
    /// Not generic, so callers in other modules get the tight loop rather than a walk through
    /// protocol calls.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let taken = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<taken])
            offset = taken
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0, at: 0, blocks: 1) }
            pending.removeAll(keepingCapacity: true)
        }
        let blocks = (bytes.count - offset) / 64
        if blocks > 0 {
            compress(bytes, at: offset, blocks: blocks)
            offset += 64 * blocks
        }
        pending.append(contentsOf: bytes[offset...])
    }

    /// Whether ``update(_:with:_:with:)`` hashes two messages faster than one after the other:
    /// where the processor has the SHA instructions.
    public static var hashesTwoAtOnce: Bool { SHA256Instructions.isAvailable }

    /// Adds `first` to one message and `second` to another: the same as `a.update(first)` and
    /// `b.update(second)`, but with the processor's instructions their whole blocks are
    /// compressed side by side (``SHA256Instructions/compressTwo(_:blocks:_:blocks:blockCount:constants:)``),
    /// 1.4 to 1.8 times as fast as one after the other: an ingest hashes its inputs two at a time.
    public static func update(
        _ a: inout SHA256, with first: UnsafeRawBufferPointer, _ b: inout SHA256, with second: UnsafeRawBufferPointer
    ) {
        guard a.usesInstructions, b.usesInstructions else {
            a.update(first)
            b.update(second)
            return
        }
        // Each message's split block is completed first, so that both go on from a block's start.
        let headA = a.pending.isEmpty ? 0 : min(64 - a.pending.count, first.count)
        let headB = b.pending.isEmpty ? 0 : min(64 - b.pending.count, second.count)
        a.update(UnsafeRawBufferPointer(rebasing: first[0..<headA]))
        b.update(UnsafeRawBufferPointer(rebasing: second[0..<headB]))
        var (doneA, doneB) = (headA, headB)
        if a.pending.isEmpty, b.pending.isEmpty {
            let blocks = min((first.count - headA) / 64, (second.count - headB) / 64)
            if blocks > 0 {
                a.length &+= UInt64(64 * blocks)
                b.length &+= UInt64(64 * blocks)
                withUnsafeMutableBytes(of: &a.state) { stateA in
                    withUnsafeMutableBytes(of: &b.state) { stateB in
                        SHA256.k.withUnsafeBufferPointer { k in
                            SHA256Instructions.compressTwo(
                                stateA.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                blocks: first.baseAddress! + headA,
                                stateB.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                blocks: second.baseAddress! + headB, blockCount: blocks, constants: k.baseAddress!)
                        }
                    }
                }
                doneA += 64 * blocks
                doneB += 64 * blocks
            }
        }
        a.update(UnsafeRawBufferPointer(rebasing: first[doneA...]))
        b.update(UnsafeRawBufferPointer(rebasing: second[doneB...]))
    }

    /// The 32-byte digest.
    ///
    /// The padding (0x80, zeros, the length in bits) is laid out after the pending bytes in one or
    /// two blocks on the stack: a fingerprint of a few bytes, made for every person a plan or a
    /// report builds, costs a compression and one array.
    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        let blocks = pending.count < 56 ? 1 : 2
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer in
            buffer.initialize(repeating: 0)
            for (index, byte) in pending.enumerated() { buffer[index] = byte }
            buffer[pending.count] = 0x80
            for index in 0..<8 { buffer[64 * blocks - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> (8 * index)) }
            compress(UnsafeRawBufferPointer(buffer), at: 0, blocks: blocks)
        }
        pending.removeAll()
        return [UInt8](unsafeUninitializedCapacity: 32) { digest, count in
            withUnsafeBytes(of: state) { words in
                for index in 0..<32 {
                    let word = words.load(fromByteOffset: 4 * (index / 4), as: UInt32.self)
                    digest[index] = UInt8(truncatingIfNeeded: word >> (24 - 8 * (index % 4)))
                }
            }
            count = 32
        }
    }

    /// The digest as 64 lower-case hex digits.
    public mutating func finalizeHex() -> String {
        let digits = Array("0123456789abcdef")
        return String(finalize().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    /// Compresses `blocks` 64-byte blocks from `offset` into the state.
    private mutating func compress(_ buffer: UnsafeRawBufferPointer, at offset: Int, blocks: Int) {
        guard usesInstructions else {
            for block in 0..<blocks { compressPortably(buffer, at: offset + 64 * block) }
            return
        }
        withUnsafeMutableBytes(of: &state) { words in
            SHA256.k.withUnsafeBufferPointer { k in
                SHA256Instructions.compress(
                    words.baseAddress!.assumingMemoryBound(to: UInt32.self), blocks: buffer.baseAddress! + offset,
                    blockCount: blocks, constants: k.baseAddress!)
            }
        }
    }

    /// Compresses the 64-byte block at `offset` into the state in portable Swift. The schedule is
    /// a ring of 16 words: round `i` needs only the 16 words before it.
    private mutating func compressPortably(_ block: UnsafeRawBufferPointer, at offset: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { w in
            SHA256.k.withUnsafeBufferPointer { k in
                for i in 0..<16 {
                    w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self))
                }
                var (a, b, c, d, e, f, g, h) = state
                // Eight rounds at a time, each naming the working variables one place further
                // on, so no round moves all eight of them.
                for i in stride(from: 0, to: 64, by: 8) {
                    if i >= 16 {
                        for j in i..<(i + 8) { SHA256.extendSchedule(w, j) }
                    }
                    SHA256.round(a, b, c, &d, e, f, g, &h, k[i], w[i & 15])
                    SHA256.round(h, a, b, &c, d, e, f, &g, k[i + 1], w[(i + 1) & 15])
                    SHA256.round(g, h, a, &b, c, d, e, &f, k[i + 2], w[(i + 2) & 15])
                    SHA256.round(f, g, h, &a, b, c, d, &e, k[i + 3], w[(i + 3) & 15])
                    SHA256.round(e, f, g, &h, a, b, c, &d, k[i + 4], w[(i + 4) & 15])
                    SHA256.round(d, e, f, &g, h, a, b, &c, k[i + 5], w[(i + 5) & 15])
                    SHA256.round(c, d, e, &f, g, h, a, &b, k[i + 6], w[(i + 6) & 15])
                    SHA256.round(b, c, d, &e, f, g, h, &a, k[i + 7], w[(i + 7) & 15])
                }
                state = (
                    state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f,
                    state.6 &+ g, state.7 &+ h
                )
            }
        }
    }
}

extension SHA256 {
    /// One round: `d` and `h` are the two working variables a round changes.
    @inline(__always)
    fileprivate static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
        _ h: inout UInt32, _ k: UInt32, _ w: UInt32
    ) {
        let t1 = h &+ (e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)) &+ ((e & f) ^ (~e & g)) &+ k &+ w
        d = d &+ t1
        h = t1 &+ (a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)) &+ ((a & b) ^ (a & c) ^ (b & c))
    }

    /// Word `i` (16...63) of the message schedule, over word `i - 16` in the ring of 16.
    @inline(__always)
    fileprivate static func extendSchedule(_ w: UnsafeMutableBufferPointer<UInt32>, _ i: Int) {
        let w15 = w[(i - 15) & 15]
        let w2 = w[(i - 2) & 15]
        let s0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 &>> 3)
        let s1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 &>> 10)
        w[i & 15] = w[i & 15] &+ s0 &+ w[(i - 7) & 15] &+ s1
    }
}

extension UInt32 {
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 {
        (self &>> count) | (self &<< (32 &- count))
    }
}
