using System.Text;
using System.Text.Unicode;

namespace TinyMetrics.Parsing;

/// <summary>
/// One series line of the classic Prometheus text format, checked as strictly as Prometheus' own lexer
/// (<c>promlex.l</c>): metric name, optional label set with quoted, escaped, UTF-8 values and free trailing
/// comma, a value token, an optional integer millisecond timestamp. Whitespace may separate tokens.
/// Scanning is linear and iterative, so garbage costs no more than a valid line of the same length.
/// </summary>
internal ref struct PromSeriesLine
{
    private const byte LabelNameByte = 1;
    private const byte MetricNameByte = 2;

    public ReadOnlySpan<byte> Name;

    /// <summary>The container the label set names; default when there is none (or no label set).</summary>
    public ContainerName Container;

    public ReadOnlySpan<byte> Value;

    public long TimestampMs;

    public bool HasTimestamp;

    public static bool TryRead(ReadOnlySpan<byte> line, SeriesLabelCache labelSets, long nowNs, out PromSeriesLine series, out string? error)
    {
        series = default;
        var pos = NameLength(line);
        if (pos == 0 && line[0] != (byte)'{')
            return Fail("expected a valid start token", out error);
        series.Name = line[..pos];
        pos = SkipWhitespace(line, pos);
        if (pos < line.Length && line[pos] == (byte)'{')
        {
            if (!TryReadLabelSet(line, labelSets, nowNs, ref pos, out series.Container, out error))
                return false;
            pos = SkipWhitespace(line, pos);
        }
        var valueStart = pos;
        while (pos < line.Length && line[pos] is not ((byte)' ' or (byte)'\t' or (byte)'{'))
            pos++;
        if (pos == valueStart)
            return Fail("expected value after metric", out error);
        series.Value = line[valueStart..pos];
        pos = SkipWhitespace(line, pos);
        if (pos == line.Length)
        {
            error = null;
            return true;
        }
        return TryReadTimestamp(line[pos..], ref series, out error);
    }

    private static bool TryReadTimestamp(ReadOnlySpan<byte> rest, ref PromSeriesLine series, out string? error)
    {
        var pos = 0;
        long ms = 0;
        while (pos < rest.Length && rest[pos] - (uint)'0' <= 9)
        {
            var digit = rest[pos++] - '0';
            if (ms > (long.MaxValue - digit) / 10)
                return Fail("timestamp out of range", out error);
            ms = (ms * 10) + digit;
        }
        if (pos == 0)
            return Fail("expected timestamp or new record", out error);
        if (SkipWhitespace(rest, pos) != rest.Length)
            return Fail("expected next entry after timestamp", out error);
        series.TimestampMs = ms;
        series.HasTimestamp = true;
        error = null;
        return true;
    }

    private static bool TryReadLabelSet(
        ReadOnlySpan<byte> line, SeriesLabelCache labelSets, long nowNs, ref int pos, out ContainerName container, out string? error)
    {
        var start = pos;
        // The text up to the first '}' equal to a label set validated before is that label set, whole.
        var close = line[start..].IndexOf((byte)'}');
        if (close >= 0 && labelSets.TryGet(line.Slice(start, close + 1), nowNs, out container))
        {
            pos = start + close + 1;
            error = null;
            return true;
        }
        container = default;
        if (!TrySkipLabelSet(line, ref pos, out error))
            return false;
        container = labelSets.Add(line[start..pos], nowNs);
        return true;
    }

    private static bool TrySkipLabelSet(ReadOnlySpan<byte> line, ref int pos, out string? error)
    {
        var asciiLine = Ascii.IsValid(line);
        pos++;
        while (true)
        {
            pos = SkipWhitespace(line, pos);
            if (pos < line.Length && line[pos] == (byte)'}')
            {
                pos++;
                error = null;
                return true;
            }
            if (!TrySkipLabel(line, asciiLine, ref pos, out error))
                return false;
            pos = SkipWhitespace(line, pos);
            if (pos < line.Length && line[pos] == (byte)',')
                pos++;
            else if (pos >= line.Length || line[pos] != (byte)'}')
                return Fail("expected comma or brace close", out error);
        }
    }

    private static bool TrySkipLabel(ReadOnlySpan<byte> line, bool asciiLine, ref int pos, out string? error)
    {
        if (pos >= line.Length)
            return Fail("unterminated label set", out error);
        if (line[pos] == (byte)'"')
        {
            // A quoted name alone is a UTF-8 metric name (Prometheus 3 syntax); followed by '=' it is a label name.
            if (!TrySkipQuoted(line, ref pos))
                return Fail("unterminated quoted name", out error);
            var next = SkipWhitespace(line, pos);
            if (next < line.Length && line[next] is (byte)',' or (byte)'}')
            {
                error = null;
                return true;
            }
        }
        else
        {
            var length = LabelNameLength(line[pos..]);
            if (length == 0)
                return Fail("expected label name", out error);
            pos += length;
        }
        return TrySkipLabelValue(line, asciiLine, ref pos, out error);
    }

    private static bool TrySkipLabelValue(ReadOnlySpan<byte> line, bool asciiLine, ref int pos, out string? error)
    {
        pos = SkipWhitespace(line, pos);
        if (pos >= line.Length || line[pos] != (byte)'=')
            return Fail("expected equal", out error);
        pos = SkipWhitespace(line, pos + 1);
        if (pos >= line.Length || line[pos] != (byte)'"')
            return Fail("expected label value", out error);
        var start = pos + 1;
        if (!TrySkipQuoted(line, ref pos))
            return Fail("unterminated label value", out error);
        // An all-ASCII line (checked once, vectorized) needs no per-value UTF-8 check.
        if (!asciiLine && !Utf8.IsValid(line[start..(pos - 1)]))
            return Fail("invalid UTF-8 label value", out error);
        error = null;
        return true;
    }

    // pos is on the opening quote; on success it is just past the closing one.
    private static bool TrySkipQuoted(ReadOnlySpan<byte> line, ref int pos)
    {
        pos++;
        while (pos < line.Length)
        {
            var i = line[pos..].IndexOfAny((byte)'"', (byte)'\\');
            if (i < 0)
                break;
            pos += i;
            if (line[pos] == (byte)'"')
            {
                pos++;
                return true;
            }
            pos += 2;
        }
        pos = line.Length;
        return false;
    }

    private static int NameLength(ReadOnlySpan<byte> s) => TokenLength(s, MetricNameByte);

    private static int LabelNameLength(ReadOnlySpan<byte> s) => TokenLength(s, LabelNameByte);

    // Names are short (3–40 bytes): a table lookup per byte beats a vectorized search's setup.
    private static int TokenLength(ReadOnlySpan<byte> s, byte kind)
    {
        if (s.IsEmpty || IsDigit(s[0]))
            return 0;
        var classes = NameClasses;
        var i = 0;
        while (i < s.Length && (classes[s[i]] & kind) != 0)
            i++;
        return i;
    }

    // Bit 1: label-name byte [a-zA-Z0-9_]; bit 2: metric-name byte, the same plus ':'.
    private static ReadOnlySpan<byte> NameClasses =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 0, 0, 0, 0, 0,
        0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 3,
        0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    private static bool IsDigit(byte b) => b - (uint)'0' <= 9;

    private static int SkipWhitespace(ReadOnlySpan<byte> s, int pos)
    {
        while (pos < s.Length && s[pos] is (byte)' ' or (byte)'\t')
            pos++;
        return pos;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
