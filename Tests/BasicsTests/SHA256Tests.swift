import Foundation
import Intrinsics
import Testing

@testable import Basics

/// Content hashes name every ingested file and recognise one dropped twice: a wrong digest would
/// let an old extract be ingested again over a newer one, so the hash is checked against the
/// standard's vectors and against Python's `hashlib` on lengths around the block boundaries, both
/// with the portable rounds and with the processor's SHA instructions (where this machine has
/// them; the portable rounds otherwise, so both runs then check the same path).
@Suite struct SHA256Tests {
    /// The digest of `bytes` with the portable rounds (`false`) or the processor's instructions.
    static func hex(_ bytes: some Collection<UInt8>, instructions: Bool) -> String {
        var hasher = SHA256(usingInstructions: instructions)
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    @Test(arguments: [false, true]) func matchesTheStandardVectors(instructions: Bool) {
        func hex(_ bytes: [UInt8]) -> String { Self.hex(bytes, instructions: instructions) }
        #expect(hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// `bytes(i) = (31 i + 7) mod 251`; the digests are Python's:
    /// `hashlib.sha256(bytes((i*31+7)%251 for i in range(n))).hexdigest()`.
    static let pattern = (0..<1_000_003).map { UInt8(($0 * 31 + 7) % 251) }
    static let digests: [(Int, String)] = [
        (55, "e40272620990d5f772101e014a0fe168d9ab13215739a04bdcb4b9cadc303c75"),
        (56, "5b3154594d65c2a11e797576e2b4ece47f48373d8acfc0ae2cc3b87ca7adaedc"),
        (63, "2caeed71c024d190f2f9633bdac2b8f283b1cb86dfe7709023ab70f11f747a1b"),
        (64, "3483dc12a3fea6618642162f88124ea56e797597a97483d5ba597a42d98aaf6b"),
        (65, "3a513663aae909c328f43e2d74265dc5ec35495c99dfde7b8f9dd37f297dfa40"),
        (119, "c06b1fcfb8d206bb4fe8e8cde10de7af236f619ff29c720de0083f7377491fd9"),
        (120, "f425d2567f5c636c99335e5e8bb04669475b3b8b6f7523bbabbd11115cef8550"),
        (128, "43a42610c7b657d1ce21bf0255e86be7ea01aa9dddf0701f596e99a4c6f61001"),
        (1_000_003, "a79aaccf39831e39ad9382f03c515510dcde695830c65a91620160cbe434b410"),
    ]

    @Test(arguments: [false, true]) func matchesPythonAroundTheBlockBoundaries(instructions: Bool) {
        for (length, digest) in Self.digests {
            #expect(Self.hex(Self.pattern[..<length], instructions: instructions) == digest, "\(length) bytes")
        }
    }

    /// The two paths agree on every length from 0 to 300 bytes and on seeded random messages up
    /// to 20,000 bytes, however split across updates.
    @Test func theProcessorsInstructionsAgreeWithThePortableRounds() {
        for length in 0...300 {
            let message = Self.pattern[..<length]
            #expect(Self.hex(message, instructions: true) == Self.hex(message, instructions: false), "\(length) bytes")
        }
        var random = SeededRandom(seed: 180)
        for _ in 0..<100 {
            let message = (0..<Int(random.next() % 20_000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var fast = SHA256(usingInstructions: true)
            var offset = 0
            while offset < message.count {
                let piece = min(message.count - offset, Int(random.next() % 3_000))
                fast.update(message[offset..<(offset + piece)])
                offset += piece
            }
            #expect(fast.finalizeHex() == Self.hex(message, instructions: false))
        }
    }

    /// The two-message compression is each message's own compression, block for block, from two
    /// different states over two different runs of blocks (none, one, many): a mix-up between
    /// the messages' registers would show here, where the hasher's tests could fall back.
    @Test(.enabled(if: SHA256Instructions.isAvailable)) func compressingTwoAtOnceIsCompressingEachAlone() {
        var random = SeededRandom(seed: 64)
        let k = SHA256.k
        for blockCount in [0, 1, 2, 7, 50] {
            // A block more than is compressed, so that even none has somewhere to point.
            let first = (0..<(64 * blockCount + 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let second = (0..<(64 * blockCount + 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let startA = (0..<8).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            let startB = (0..<8).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            var (aloneA, aloneB, togetherA, togetherB) = (startA, startB, startA, startB)
            first.withUnsafeBytes { a in
                second.withUnsafeBytes { b in
                    let (blocksA, blocksB) = (a.baseAddress!, b.baseAddress!)
                    SHA256Instructions.compress(&aloneA, blocks: blocksA, blockCount: blockCount, constants: k)
                    SHA256Instructions.compress(&aloneB, blocks: blocksB, blockCount: blockCount, constants: k)
                    SHA256Instructions.compressTwo(
                        &togetherA, blocks: blocksA, &togetherB, blocks: blocksB, blockCount: blockCount,
                        constants: k)
                }
            }
            #expect(togetherA == aloneA, "\(blockCount) blocks")
            #expect(togetherB == aloneB, "\(blockCount) blocks")
            #expect(blockCount == 0 || togetherA != startA)
        }
    }

    /// The processor is asked (`cpuid`) whether it has the instructions: its answer must be the
    /// kernel's (`/proc/cpuinfo`), or the fast path would be silently lost, or tried where it
    /// cannot run.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/cpuinfo")))
    func usesTheInstructionsExactlyWhereTheKernelSaysTheyExist() throws {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }.map {
            Set($0.split(separator: " ").map(String.init))
        }
        #if arch(x86_64)
            let expected = flags.map { $0.contains("sha_ni") && $0.contains("ssse3") } ?? false
        #else
            let expected = false
        #endif
        #expect(SHA256Instructions.isAvailable == expected)
        #expect(SHA256().usesInstructions == expected)
    }

    /// However a message is split across updates (a block split between two, many short pieces,
    /// empty ones), the digest is the one-call digest.
    @Test func anySplitGivesTheSameDigest() {
        var random = SeededRandom(seed: 256)
        let message = Array(Self.pattern[..<5_000])
        let whole = SHA256.hexDigest(message)
        for _ in 0..<200 {
            var hasher = SHA256()
            var offset = 0
            while offset < message.count {
                let piece = min(message.count - offset, Int(random.next() % 150))
                hasher.update(message[offset..<(offset + piece)])
                offset += piece
            }
            #expect(hasher.finalizeHex() == whole)
        }
    }

    /// Two messages hashed side by side, in pieces of any length (a block split between pieces,
    /// one message running out first, empty pieces), give each message's one-call digest: the
    /// interleaved rounds are exactly each message's own.
    @Test(arguments: [false, true]) func twoMessagesAtOnceGiveTheirOwnDigests(instructions: Bool) {
        var random = SeededRandom(seed: 2)
        for _ in 0..<200 {
            let first = Array(Self.pattern[..<Int(random.next() % 3_000)])
            let second = Array(Self.pattern[Int(random.next() % 100)...].prefix(Int(random.next() % 3_000)))
            var a = SHA256(usingInstructions: instructions)
            var b = SHA256(usingInstructions: instructions)
            var (offsetA, offsetB) = (0, 0)
            while offsetA < first.count || offsetB < second.count {
                let pieceA = min(first.count - offsetA, Int(random.next() % 700))
                let pieceB = min(second.count - offsetB, Int(random.next() % 700))
                first.withUnsafeBytes { bytesA in
                    second.withUnsafeBytes { bytesB in
                        SHA256.update(
                            &a, with: UnsafeRawBufferPointer(rebasing: bytesA[offsetA..<(offsetA + pieceA)]),
                            &b, with: UnsafeRawBufferPointer(rebasing: bytesB[offsetB..<(offsetB + pieceB)]))
                    }
                }
                offsetA += pieceA
                offsetB += pieceB
            }
            #expect(a.finalizeHex() == Self.hex(first, instructions: false))
            #expect(b.finalizeHex() == Self.hex(second, instructions: false))
        }
    }
}
