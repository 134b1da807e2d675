using System.Globalization;
using System.Net;
using System.Text;

namespace TinyMetrics.Configuration;

// Converts one flag argument the way the flag's pflag Value.Set would, with its error text.
internal static class FlagValueParser
{
    public static bool TryParse(Flag flag, string raw, string[] listSoFar, out FlagValue value, out string error)
    {
        value = new FlagValue { Text = raw, List = listSoFar };
        error = "";
        switch (flag.Kind)
        {
            case FlagKind.Bool:
                var okBool = GoStrconv.TryParseBool(raw, out var boolean, out error);
                value = value with { Boolean = boolean };
                return okBool;
            case FlagKind.Int or FlagKind.Level:
                var okInt = GoStrconv.TryParseInt(raw, 32, allowPrefixes: flag.Kind == FlagKind.Int, out var integer, out error);
                value = value with { Integer = integer };
                return okInt;
            case FlagKind.Float:
                return GoStrconv.TryParseFloat(raw, out _, out error);
            case FlagKind.Duration:
                var okDuration = GoDuration.TryParse(raw, out var duration, out error);
                value = value with { Duration = duration };
                return okDuration;
            case FlagKind.Ip:
                // pflag's ipValue.Set ignores an empty value: --bind-address= keeps the default.
                if (raw.Length == 0)
                    return true;
                var address = ParseIp(raw);
                value = value with { Address = address };
                error = address is null ? "failed to parse IP: " + GoStrconv.Quote(raw) : "";
                return address is not null;
            case FlagKind.StringSlice:
                var okList = TryReadCsv(raw, out var items, out error);
                value = value with { List = [.. listSoFar, .. items] };
                return okList;
            case FlagKind.NamedCertKey:
                var okNamed = Configuration.NamedCertKey.TryParse(raw, out var certKey, out error);
                value = value with { CertKey = certKey };
                return okNamed;
            default:
                return true;
        }
    }

    // Go's net.ParseIP: dotted-quad IPv4 without leading zeros, or IPv6 without zone or brackets.
    internal static IPAddress? ParseIp(string raw)
    {
        var text = raw.Trim();
        if (text.Contains(':'))
        {
            return text.AsSpan().IndexOfAny('%', '[', '/') < 0 && IPAddress.TryParse(text, out var v6) ? v6 : null;
        }
        var parts = text.Split('.');
        if (parts.Length != 4)
            return null;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || !IsDigits(part) || int.Parse(part, CultureInfo.InvariantCulture) > 255)
                return null;
        }
        return IPAddress.Parse(text);
    }

    // pflag reads slice values with encoding/csv: comma-separated, double quotes for fields holding commas.
    internal static bool TryReadCsv(string raw, out string[] items, out string error)
    {
        items = [];
        error = "";
        if (raw.Length == 0)
            return true;
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < raw.Length && raw[i] == '"')
            {
                if (!TryReadQuoted(raw, ref i, field, out error))
                    return false;
            }
            else
            {
                for (; i < raw.Length && raw[i] != ','; i++)
                {
                    if (raw[i] == '"')
                        return Bare(i, out error);
                    field.Append(raw[i]);
                }
            }
            fields.Add(field.ToString());
            if (i >= raw.Length)
                break;
            i++; // the comma
        }
        items = [.. fields];
        return true;
    }

    private static bool TryReadQuoted(string raw, ref int i, StringBuilder field, out string error)
    {
        error = "";
        for (i++; i < raw.Length; i++)
        {
            if (raw[i] != '"')
            {
                field.Append(raw[i]);
            }
            else if (i + 1 < raw.Length && raw[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else
            {
                i++;
                if (i < raw.Length && raw[i] != ',')
                {
                    error = "parse error on line 1, column " + (i + 1) + ": extraneous or missing \" in quoted-field";
                    return false;
                }
                return true;
            }
        }
        error = "record on line 1; parse error on line 2, column 0: extraneous or missing \" in quoted-field";
        return false;
    }

    private static bool Bare(int index, out string error)
    {
        error = "parse error on line 1, column " + (index + 1) + ": bare \" in non-quoted-field";
        return false;
    }

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }
}
