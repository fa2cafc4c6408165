// The hints are inline functions in include/MemoryHints.h; a C target needs a source file.
#include "MemoryHints.h"
