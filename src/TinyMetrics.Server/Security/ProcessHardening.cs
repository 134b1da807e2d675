using System.Runtime.InteropServices;

namespace TinyMetrics.Security;

/// <summary>
/// Keeps secrets out of core dumps: the process holds the service-account token, client keys and
/// cached token reviews in memory, so it is marked non-dumpable (no core file, no ptrace attach by
/// other processes of the same user). The process itself still reads its own /proc entries.
/// </summary>
internal static partial class ProcessHardening
{
    private const int PrSetDumpable = 4;

    public static bool DisableCoreDumps()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        return Prctl(PrSetDumpable, 0, 0, 0, 0) == 0;
    }

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
