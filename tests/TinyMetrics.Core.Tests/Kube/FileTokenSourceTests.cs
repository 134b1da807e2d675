using Microsoft.Extensions.Time.Testing;

namespace TinyMetrics.Kube.Tests;

public sealed class FileTokenSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tm-token-").FullName;
    private readonly DateTime _mtime = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private string TokenPath => Path.Combine(_dir, "token");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string token, DateTime mtime)
    {
        File.WriteAllText(TokenPath, token + "\n");
        File.SetLastWriteTimeUtc(TokenPath, mtime);
    }

    [Test]
    public async Task GetToken_FileRotated_ReReadAfterStatInterval()
    {
        var time = new FakeTimeProvider();
        Write("token-one", _mtime);
        var source = new FileTokenSource(TokenPath, time);

        var first = source.GetToken();
        Write("token-two", _mtime.AddMinutes(1));
        var beforeStat = source.GetToken();
        time.Advance(FileTokenSource.StatInterval);
        var afterStat = source.GetToken();

        await Assert.That(first).IsEqualTo("token-one");
        await Assert.That(beforeStat).IsEqualTo("token-one");
        await Assert.That(afterStat).IsEqualTo("token-two");
    }

    [Test]
    public async Task GetToken_SameMtime_ReReadAfterMaxAge()
    {
        var time = new FakeTimeProvider();
        Write("token-one", _mtime);
        var source = new FileTokenSource(TokenPath, time);
        source.GetToken();

        Write("token-two", _mtime);
        time.Advance(TimeSpan.FromSeconds(2));
        var early = source.GetToken();
        time.Advance(FileTokenSource.MaxAge);
        var late = source.GetToken();

        await Assert.That(early).IsEqualTo("token-one");
        await Assert.That(late).IsEqualTo("token-two");
    }

    [Test]
    public async Task GetToken_FileEmptiedDuringRotation_KeepsPreviousToken()
    {
        var time = new FakeTimeProvider();
        Write("token-one", _mtime);
        var source = new FileTokenSource(TokenPath, time);
        source.GetToken();

        Write("", _mtime.AddMinutes(1));
        time.Advance(FileTokenSource.StatInterval);

        await Assert.That(source.GetToken()).IsEqualTo("token-one");
    }
}
