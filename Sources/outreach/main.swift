// The `outreach` executable: parses the command line and calls library code. Nothing else lives here.

import CLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

exit(CommandLineInterface.run(Array(CommandLine.arguments.dropFirst())).rawValue)
