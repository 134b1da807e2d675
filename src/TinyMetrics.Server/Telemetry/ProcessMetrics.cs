using System.Globalization;
using System.Text;

namespace TinyMetrics.Telemetry;

/// <summary>
/// client_golang's process collector on Linux: the process_* families read from /proc/self (stat, fd,
/// limits) with its names and HELP texts, so dashboards built for metrics-server find them.
/// </summary>
internal static class ProcessMetrics
{
    // USER_HZ is 100 on every Linux architecture .NET runs on; procfs and client_golang assume the same.
    private const double TicksPerSecond = 100;

    public static void WriteTo(StringBuilder output, long fallbackStartUnixSeconds)
    {
        var stat = ReadStat();
        var cpu = stat is null ? 0 : (Field(stat, 14) + Field(stat, 15)) / TicksPerSecond;
        Gauge(output, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter", Format(cpu));
        Gauge(output, "process_max_fds", "Maximum number of open file descriptors.", "gauge", Format(MaxFds()));
        Gauge(output, "process_open_fds", "Number of open file descriptors.", "gauge", Format(OpenFds()));
        Gauge(output, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", Format(stat is null ? 0 : Field(stat, 24) * Environment.SystemPageSize));
        var start = stat is null ? fallbackStartUnixSeconds : BootTime() + Field(stat, 22) / TicksPerSecond;
        Gauge(output, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge", Format(start));
        Gauge(output, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", Format(stat is null ? 0 : Field(stat, 23)));
    }

    private static void Gauge(StringBuilder output, string name, string help, string type, string value) =>
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type)
            .Append('\n').Append(name).Append(' ').Append(value).Append('\n');

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // The fields after the parenthesised command name, which may itself hold spaces; field n is stat(5)'s numbering.
    private static string[]? ReadStat()
    {
        try
        {
            var text = File.ReadAllText("/proc/self/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Field(string[] afterCommand, int number) =>
        double.Parse(afterCommand[number - 3], NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double BootTime()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal))
                return double.Parse(line.AsSpan(6), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return 0;
    }

    private static double OpenFds()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static double MaxFds()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
                continue;
            var soft = line[14..].TrimStart();
            soft = soft[..soft.IndexOf(' ', StringComparison.Ordinal)];
            return soft == "unlimited" ? double.PositiveInfinity : double.Parse(soft, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
