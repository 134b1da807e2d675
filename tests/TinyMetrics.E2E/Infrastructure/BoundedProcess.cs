using System.Diagnostics;
using System.Text;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// A child process a test owns: its output is captured, every wait has a deadline, and disposing
/// kills the whole process tree, so no test leaves anything running.
/// </summary>
public sealed class BoundedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private BoundedProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_gate) return _output.ToString(); }
    }

    public static BoundedProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
                info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var bounded = new BoundedProcess(process);
        process.OutputDataReceived += (_, e) => bounded.Append(e.Data);
        process.ErrorDataReceived += (_, e) => bounded.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bounded;
    }

    /// <summary>Waits until a line of output satisfies <paramref name="match"/>; returns that line.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in Output.Split('\n'))
            {
                if (match(line))
                    return line;
            }
            if (_process.HasExited)
                throw new InvalidOperationException($"process exited with {_process.ExitCode} before the expected output:\n{Tail()}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"no expected output within {timeout.TotalSeconds}s:\n{Tail()}");
    }

    /// <summary>How many lines of output so far satisfy <paramref name="match"/>.</summary>
    public int CountLines(Func<string, bool> match)
    {
        var count = 0;
        foreach (var line in Output.Split('\n'))
        {
            if (match(line))
                count++;
        }
        return count;
    }

    /// <summary>Waits until at least <paramref name="count"/> lines satisfy <paramref name="match"/> (the next one after a known count).</summary>
    public async Task WaitForLineCountAsync(Func<string, bool> match, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (CountLines(match) < count)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"process exited with {_process.ExitCode} before the expected output:\n{Tail()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"fewer than {count} expected lines within {timeout.TotalSeconds}s:\n{Tail()}");
            await Task.Delay(100);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends a signal by name (TERM, INT) with kill(1) and returns once it is delivered; does not wait for the process.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await kill.WaitForExitAsync(cts.Token);
    }

    /// <summary>Sends SIGTERM and waits a little for a clean exit.</summary>
    public async Task<int?> TerminateAsync(TimeSpan grace)
    {
        if (_process.HasExited)
            return _process.ExitCode;
        await SignalAsync("TERM");
        try
        {
            return await WaitForExitAsync(grace);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The last lines of the output, without the frames of an AOT stack trace: they are bare addresses, and
    /// forty of them pushed the exception's own message out of run D's failure report.
    /// </summary>
    public string Tail(int lines = 40)
    {
        var kept = Output.Split('\n').Where(line => !IsAotFrame(line)).ToArray();
        return string.Join('\n', kept[Math.Max(0, kept.Length - lines)..]);
    }

    /// <summary>"running", or the exit code once the process is gone.</summary>
    public string State => _process.HasExited ? $"exited with {_process.ExitCode}" : "running";

    private static bool IsAotFrame(string line) =>
        line.Contains("!<BaseAddress>+0x", StringComparison.Ordinal) || line.TrimStart().StartsWith("--- End of stack trace from previous location", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            _output.Append(line).Append('\n');
    }
}
