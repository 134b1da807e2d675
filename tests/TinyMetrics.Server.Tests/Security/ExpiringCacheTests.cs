using Microsoft.Extensions.Time.Testing;

namespace TinyMetrics.Security.Tests;

public sealed class ExpiringCacheTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Test]
    public async Task TryGet_BeforeAndAtExpiry_HitThenMiss()
    {
        var cache = new ExpiringCache<string, int>(_time, 8);
        cache.Set("a", 1, TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        var hit = cache.TryGet("a", out var value);
        _time.Advance(TimeSpan.FromTicks(1));
        var miss = cache.TryGet("a", out _);

        await Assert.That(hit).IsTrue();
        await Assert.That(value).IsEqualTo(1);
        await Assert.That(miss).IsFalse();
    }

    [Test]
    public async Task Set_ZeroTtl_IsNotCached()
    {
        var cache = new ExpiringCache<string, int>(_time, 8);

        cache.Set("a", 1, TimeSpan.Zero);

        await Assert.That(cache.TryGet("a", out _)).IsFalse();
    }

    [Test]
    public async Task Set_Full_DropsExpiredFirstThenEverything()
    {
        var cache = new ExpiringCache<int, int>(_time, 3);
        cache.Set(1, 1, TimeSpan.FromSeconds(1));
        cache.Set(2, 2, TimeSpan.FromSeconds(60));
        cache.Set(3, 3, TimeSpan.FromSeconds(60));
        _time.Advance(TimeSpan.FromSeconds(2));

        cache.Set(4, 4, TimeSpan.FromSeconds(60));
        var afterExpiredDropped = cache.Count;
        cache.Set(5, 5, TimeSpan.FromSeconds(60));

        await Assert.That(afterExpiredDropped).IsEqualTo(3);
        await Assert.That(cache.TryGet(2, out _)).IsFalse();
        await Assert.That(cache.Count).IsEqualTo(1);
        await Assert.That(cache.TryGet(5, out var five) && five == 5).IsTrue();
    }
}
