// Only Glibc here, and as @preconcurrency: `stdout` is a C global that Swift 6 rejects otherwise
// (Foundation re-exports it without that), though it is only read, once, before any thread starts.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Line-buffers standard output, so figures appear as they are printed even into a file.
func lineBufferStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
