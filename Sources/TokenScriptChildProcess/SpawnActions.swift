import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `posix_spawn` file actions glibc has but does not declare to Swift (they are GNU extensions, declared
/// under `__USE_MISC`): looked up by name once.
enum SpawnActions {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc 2.34 and later.
    private static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    /// glibc 2.29 and later.
    private static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }

    /// Closes every descriptor above 2 in the child, once its standard streams are in place. Without
    /// `addclosefrom_np` (an older glibc), each descriptor open now is closed by name: one opened by another
    /// thread after this scan may still slip through, which is why the call exists.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) throws {
        if let closeFrom {
            let result = closeFrom(&actions, 3)
            guard result == 0 else {
                throw ChildProcessError(
                    "posix_spawn_file_actions_addclosefrom_np: \(String(cString: strerror(result)))")
            }
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            // The directory's own descriptor is closed by now: adding a close for it makes the spawn fail.
            guard fcntl(descriptor, F_GETFD) >= 0 else { continue }
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    /// Whether the change of directory could be added.
    static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) -> Bool {
        guard let changeDirectory else { return false }
        return changeDirectory(&actions, directory) == 0
    }
}
