using System.Runtime.InteropServices;

namespace Edge.Agent.Hosting;

/// <summary>Tuning of the C library's heap (glibc malloc), which SQLite, OpenSSL and the runtime's native parts use.</summary>
internal static partial class NativeHeap
{
    private const int ArenaMaxParameter = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>
    /// Caps glibc's malloc arenas at <paramref name="arenas"/>. By default every thread that mallocs gets an arena of
    /// its own (up to 8 per core), each keeping ~100 KiB resident for the few native allocations the agent's threads
    /// make; two arenas are plenty for a process whose allocations are almost all managed (~0.25 MiB less RSS,
    /// docs/agent.md "Memory"). Returns false where the C library has no <c>mallopt</c> or refuses the value.
    /// </summary>
    public static bool LimitArenas(int arenas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(arenas, 1);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return Mallopt(ArenaMaxParameter, arenas) == 1; // mallopt returns 1 on success
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
