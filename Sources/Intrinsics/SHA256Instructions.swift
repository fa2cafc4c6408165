#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import _Builtin_intrinsics.intel.cpuid
#endif

/// The processor's own SHA-256 instructions (Intel's SHA extensions, in every AMD processor since
/// 2017 and Intel's since about 2021), for the compression function that every ingested byte
/// passes through: about 1.8 GB/s on one core, where the portable Swift rounds in `Basics.SHA256`
/// reach about 270 MB/s. A PCN's morning hashes 94 MB, an ICB's 1.6 GB.
///
/// Reached through the compiler's own intrinsics module (no package, no C source); this target
/// alone is compiled with the `sha` and `ssse3` features (so it holds nothing else), and
/// ``compress(_:blocks:blockCount:constants:)`` runs only when ``isAvailable`` says the processor
/// has them. Everywhere else `SHA256` uses its portable rounds, which the tests check against
/// these, block for block.
public enum SHA256Instructions {
    /// Whether this processor has the SHA extensions (and SSSE3, for the byte shuffle).
    public static let isAvailable: Bool = {
        #if arch(x86_64)
            var eax: UInt32 = 0
            var ebx: UInt32 = 0
            var ecx: UInt32 = 0
            var edx: UInt32 = 0
            guard __get_cpuid_count(1, 0, &eax, &ebx, &ecx, &edx) != 0 else { return false }
            let ssse3 = ecx & (1 << 9) != 0
            guard __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) != 0 else { return false }
            let sha = ebx & (1 << 29) != 0
            return ssse3 && sha
        #else
            return false
        #endif
    }()

    /// Compresses `blockCount` 64-byte blocks starting at `blocks` into `state` (the eight words
    /// A…H), exactly as FIPS 180-4's compression function does. Only when ``isAvailable``.
    public static func compress(
        _ state: UnsafeMutablePointer<UInt32>, blocks: UnsafeRawPointer, blockCount: Int,
        constants: UnsafePointer<UInt32>
    ) {
        #if arch(x86_64)
            precondition(isAvailable, "SHA256Instructions.compress needs the SHA extensions")
            // The instructions keep the state as two registers, lanes from the low end: (F, E, B, A)
            // and (H, G, D, C).
            var abef = vector(state[5], state[4], state[1], state[0])
            var cdgh = vector(state[7], state[6], state[3], state[2])
            // Message words are big-endian: this shuffle reverses the bytes of each 32-bit lane.
            let bigEndian = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203)
            for index in 0..<blockCount {
                let block = blocks + 64 * index
                let savedABEF = abef
                let savedCDGH = cdgh
                // Words 0-15 of the schedule, four to a register.
                var w0 = _mm_shuffle_epi8(load(block), bigEndian)
                var w1 = _mm_shuffle_epi8(load(block + 16), bigEndian)
                var w2 = _mm_shuffle_epi8(load(block + 32), bigEndian)
                var w3 = _mm_shuffle_epi8(load(block + 48), bigEndian)

                /// Four rounds: `sha256rnds2` does two, with the words (plus constants) in the low
                /// half of its third operand.
                func fourRounds(_ words: __m128i, _ group: Int) {
                    let sums = _mm_add_epi32(words, load(UnsafeRawPointer(constants + 4 * group)))
                    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, sums)
                    abef = _mm_sha256rnds2_epu32(abef, cdgh, highHalf(sums))
                }
                fourRounds(w0, 0)
                fourRounds(w1, 1)
                fourRounds(w2, 2)
                fourRounds(w3, 3)
                for group in stride(from: 4, to: 16, by: 4) {
                    w0 = nextWords(w0, w1, w2, w3)
                    fourRounds(w0, group)
                    w1 = nextWords(w1, w2, w3, w0)
                    fourRounds(w1, group + 1)
                    w2 = nextWords(w2, w3, w0, w1)
                    fourRounds(w2, group + 2)
                    w3 = nextWords(w3, w0, w1, w2)
                    fourRounds(w3, group + 3)
                }
                abef = _mm_add_epi32(abef, savedABEF)
                cdgh = _mm_add_epi32(cdgh, savedCDGH)
            }
            store(abef, cdgh, into: state)
        #else
            preconditionFailure("SHA256Instructions.compress needs the SHA extensions")
        #endif
    }
}

extension SHA256Instructions {
    /// Compresses `blockCount` blocks of each of two messages, `first` into `firstState` and
    /// `second` into `secondState`, their rounds interleaved: each `sha256rnds2` waits for the one
    /// before it in its own message, so one message at a time leaves the unit idle much of the
    /// time, and two at once do 1.4 to 1.8 times the work (2.6 to 3.3 GB/s against 1.8 on this
    /// machine's EPYC). Exactly ``compress(_:blocks:blockCount:constants:)`` of each. Only when
    /// ``isAvailable``.
    public static func compressTwo(
        _ firstState: UnsafeMutablePointer<UInt32>, blocks first: UnsafeRawPointer,
        _ secondState: UnsafeMutablePointer<UInt32>, blocks second: UnsafeRawPointer, blockCount: Int,
        constants: UnsafePointer<UInt32>
    ) {
        #if arch(x86_64)
            precondition(isAvailable, "SHA256Instructions.compressTwo needs the SHA extensions")
            var abef = vector(firstState[5], firstState[4], firstState[1], firstState[0])
            var cdgh = vector(firstState[7], firstState[6], firstState[3], firstState[2])
            var abef2 = vector(secondState[5], secondState[4], secondState[1], secondState[0])
            var cdgh2 = vector(secondState[7], secondState[6], secondState[3], secondState[2])
            let bigEndian = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203)
            for index in 0..<blockCount {
                let block = first + 64 * index
                let block2 = second + 64 * index
                let (savedABEF, savedCDGH, savedABEF2, savedCDGH2) = (abef, cdgh, abef2, cdgh2)
                var w0 = _mm_shuffle_epi8(load(block), bigEndian)
                var w1 = _mm_shuffle_epi8(load(block + 16), bigEndian)
                var w2 = _mm_shuffle_epi8(load(block + 32), bigEndian)
                var w3 = _mm_shuffle_epi8(load(block + 48), bigEndian)
                var x0 = _mm_shuffle_epi8(load(block2), bigEndian)
                var x1 = _mm_shuffle_epi8(load(block2 + 16), bigEndian)
                var x2 = _mm_shuffle_epi8(load(block2 + 32), bigEndian)
                var x3 = _mm_shuffle_epi8(load(block2 + 48), bigEndian)

                /// Four rounds of each message, the two messages' instructions alternating.
                func fourRounds(_ words: __m128i, _ words2: __m128i, _ group: Int) {
                    let k = load(UnsafeRawPointer(constants + 4 * group))
                    let sums = _mm_add_epi32(words, k)
                    let sums2 = _mm_add_epi32(words2, k)
                    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, sums)
                    cdgh2 = _mm_sha256rnds2_epu32(cdgh2, abef2, sums2)
                    abef = _mm_sha256rnds2_epu32(abef, cdgh, highHalf(sums))
                    abef2 = _mm_sha256rnds2_epu32(abef2, cdgh2, highHalf(sums2))
                }

                fourRounds(w0, x0, 0)
                fourRounds(w1, x1, 1)
                fourRounds(w2, x2, 2)
                fourRounds(w3, x3, 3)
                for group in stride(from: 4, to: 16, by: 4) {
                    w0 = nextWords(w0, w1, w2, w3)
                    x0 = nextWords(x0, x1, x2, x3)
                    fourRounds(w0, x0, group)
                    w1 = nextWords(w1, w2, w3, w0)
                    x1 = nextWords(x1, x2, x3, x0)
                    fourRounds(w1, x1, group + 1)
                    w2 = nextWords(w2, w3, w0, w1)
                    x2 = nextWords(x2, x3, x0, x1)
                    fourRounds(w2, x2, group + 2)
                    w3 = nextWords(w3, w0, w1, w2)
                    x3 = nextWords(x3, x0, x1, x2)
                    fourRounds(w3, x3, group + 3)
                }
                abef = _mm_add_epi32(abef, savedABEF)
                cdgh = _mm_add_epi32(cdgh, savedCDGH)
                abef2 = _mm_add_epi32(abef2, savedABEF2)
                cdgh2 = _mm_add_epi32(cdgh2, savedCDGH2)
            }
            store(abef, cdgh, into: firstState)
            store(abef2, cdgh2, into: secondState)
        #else
            preconditionFailure("SHA256Instructions.compressTwo needs the SHA extensions")
        #endif
    }
}

#if arch(x86_64)
    extension SHA256Instructions {
        @inline(__always)
        fileprivate static func load(_ pointer: UnsafeRawPointer) -> __m128i {
            pointer.loadUnaligned(as: __m128i.self)
        }

        /// The next four words of the schedule from the sixteen before them (`a` the oldest).
        @inline(__always)
        fileprivate static func nextWords(_ a: __m128i, _ b: __m128i, _ c: __m128i, _ d: __m128i) -> __m128i {
            let c9to12 = lanes(c, 1, 2, 3, d, 0)  // w[t-7] for the four new words
            return _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(a, b), c9to12), d)
        }

        /// Writes the two registers back as the eight words A…H.
        @inline(__always)
        fileprivate static func store(_ abef: __m128i, _ cdgh: __m128i, into state: UnsafeMutablePointer<UInt32>) {
            let (f, e, b, a) = words(abef)
            let (h, g, d, c) = words(cdgh)
            (state[0], state[1], state[2], state[3]) = (a, b, c, d)
            (state[4], state[5], state[6], state[7]) = (e, f, g, h)
        }

        /// A register from four 32-bit lanes, the first the lowest.
        @inline(__always)
        fileprivate static func vector(_ w0: UInt32, _ w1: UInt32, _ w2: UInt32, _ w3: UInt32) -> __m128i {
            unsafeBitCast(SIMD4<UInt32>(w0, w1, w2, w3), to: __m128i.self)
        }

        /// A register's four 32-bit lanes, the lowest first.
        @inline(__always)
        fileprivate static func words(_ v: __m128i) -> (UInt32, UInt32, UInt32, UInt32) {
            let lanes = unsafeBitCast(v, to: SIMD4<UInt32>.self)
            return (lanes[0], lanes[1], lanes[2], lanes[3])
        }

        /// The two high lanes moved down, where `sha256rnds2` reads its words.
        @inline(__always)
        fileprivate static func highHalf(_ v: __m128i) -> __m128i {
            let lanes = unsafeBitCast(v, to: SIMD4<UInt32>.self)
            return vector(lanes[2], lanes[3], lanes[2], lanes[3])
        }

        /// Lanes `i`, `j`, `k` of `v` and lane `l` of `u`.
        @inline(__always)
        fileprivate static func lanes(_ v: __m128i, _ i: Int, _ j: Int, _ k: Int, _ u: __m128i, _ l: Int) -> __m128i {
            let x = unsafeBitCast(v, to: SIMD4<UInt32>.self)
            let y = unsafeBitCast(u, to: SIMD4<UInt32>.self)
            return vector(x[i], x[j], x[k], y[l])
        }
    }
#endif
