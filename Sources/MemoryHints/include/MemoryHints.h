#ifndef OUTREACH_MEMORY_HINTS_H
#define OUTREACH_MEMORY_HINTS_H

/// Asks the processor to start bringing the cache line that holds `address` towards it, for a
/// read soon, without waiting for it. Nothing is read: a hint only, which changes no result.
///
/// In C because Swift has no way to emit the instruction: the compiler's intrinsics module
/// declares `_m_prefetch`, but a call to it from Swift compiles to nothing.
static inline __attribute__((always_inline)) void memory_hints_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
