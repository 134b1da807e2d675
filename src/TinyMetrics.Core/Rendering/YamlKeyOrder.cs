namespace TinyMetrics.Rendering;

/// <summary>goyaml.v2's mapping key order (sorter.go): non-letters before letters, digit runs by value.</summary>
internal static class YamlKeyOrder
{
    public static int Compare(string a, string b)
    {
        if (Less(a, b))
            return -1;
        return Less(b, a) ? 1 : 0;
    }

    private static bool Less(string a, string b)
    {
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            if (a[i] == b[i])
                continue;
            var al = char.IsLetter(a[i]);
            var bl = char.IsLetter(b[i]);
            if (al && bl)
                return a[i] < b[i];
            if (al || bl)
                return bl;
            long an = 0, bn = 0;
            if (a[i] == '0' || b[i] == '0')
            {
                for (var j = i - 1; j >= 0 && char.IsAsciiDigit(a[j]); j--)
                {
                    if (a[j] != '0')
                    {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            var ai = i;
            for (; ai < a.Length && char.IsAsciiDigit(a[ai]); ai++)
                an = an * 10 + (a[ai] - '0');
            var bi = i;
            for (; bi < b.Length && char.IsAsciiDigit(b[bi]); bi++)
                bn = bn * 10 + (b[bi] - '0');
            if (an != bn)
                return an < bn;
            if (ai != bi)
                return ai < bi;
            return a[i] < b[i];
        }
        return a.Length < b.Length;
    }
}
