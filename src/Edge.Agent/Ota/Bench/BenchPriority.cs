using System.Runtime.InteropServices;

namespace Edge.Agent.Ota.Bench;

/// <summary>
/// Lowers the calling thread's scheduling priority on Linux (its nice value; threads it creates afterwards, such as
/// ONNX Runtime's intra-op pool of a session created on it, inherit it), so a bench yields the cores to the app's
/// live calls. Raising a nice value needs no privilege; lowering it back does, which is why benches run on a
/// thread of their own that ends with them.
/// </summary>
internal static partial class BenchPriority
{
    /// <summary>The nice value benches run at: 10, the middle of the background range.</summary>
    public const int BenchNice = 10;

    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value to <see cref="BenchNice"/>; returns the value now in effect, or null where it cannot be set.</summary>
    public static int? LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // On Linux, setpriority's PRIO_PROCESS with a thread id applies to that one thread.
            var tid = gettid();
            return setpriority(PrioProcess, tid, BenchNice) == 0 ? BenchNice : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);
}
