using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace TinyMetrics.Simulator.Api;

/// <summary>Opaque list continuation: the resourceVersion of the list and the index of the next object.</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, int nextIndex) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            resourceVersion.ToString(CultureInfo.InvariantCulture) + "/" + nextIndex.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string token, out long resourceVersion, out int nextIndex)
    {
        resourceVersion = 0;
        nextIndex = 0;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && long.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out resourceVersion)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out nextIndex);
    }
}
