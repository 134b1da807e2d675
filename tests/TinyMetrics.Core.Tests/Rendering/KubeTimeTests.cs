using System.Text;

namespace TinyMetrics.Rendering.Tests;

public class KubeTimeTests
{
    [Test]
    [Arguments(0L, "1970-01-01T00:00:00Z")]
    [Arguments(1_633_253_812_000_000_000L, "2021-10-03T09:36:52Z")]
    [Arguments(1_633_253_812_999_999_999L, "2021-10-03T09:36:52Z")]
    [Arguments(951_782_400_000_000_000L, "2000-02-29T00:00:00Z")]
    [Arguments(4_102_444_799_000_000_000L, "2099-12-31T23:59:59Z")]
    public async Task FormatRfc3339_UnixNanoseconds_UtcWholeSeconds(long unixNs, string expected)
    {
        Span<byte> buffer = stackalloc byte[KubeTime.Length];
        var length = KubeTime.FormatRfc3339(unixNs, buffer);
        var text = Encoding.UTF8.GetString(buffer);

        await Assert.That(length).IsEqualTo(20);
        await Assert.That(text).IsEqualTo(expected);
    }
}
