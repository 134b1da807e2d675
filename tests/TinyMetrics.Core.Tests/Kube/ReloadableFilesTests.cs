using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace TinyMetrics.Kube.Tests;

/// <summary>The generic reload helper, driven by a fake clock: files hold integers, anything else does not parse.</summary>
public sealed class ReloadableFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tinymetrics-reload-").FullName;
    private readonly FakeTimeProvider _time = new();
    private int _parses;

    [Test]
    public async Task Constructor_BadFile_ThrowsInvalidDataNamingTheFiles()
    {
        var path = Write("a", "not a number");

        var thrown = await Assert.That(() => new ReloadableFiles<string>("test value", [path], Parse)).Throws<InvalidDataException>();

        await Assert.That(thrown!.Message).Contains("test value").And.Contains(path);
    }

    [Test]
    public async Task Timer_ContentChanges_PublishesTheNewValueAndRaisesChanged()
    {
        var path = Write("a", "1");
        using var files = new ReloadableFiles<string>("test value", [path], Parse);
        string? changed = null;
        files.Changed += value => changed = value;
        files.Start(_time, TimeSpan.FromSeconds(5), NullLogger.Instance);

        Write("a", "2");
        _time.Advance(TimeSpan.FromSeconds(4));
        var beforeTick = files.Current;
        _time.Advance(TimeSpan.FromSeconds(1));

        await Assert.That(beforeTick).IsEqualTo("1");
        await Assert.That(files.Current).IsEqualTo("2");
        await Assert.That(changed).IsEqualTo("2");
    }

    [Test]
    public async Task Check_UnchangedContent_DoesNotParseAgain()
    {
        var path = Write("a", "1");
        using var files = new ReloadableFiles<string>("test value", [path], Parse);

        var reloaded = files.Check(NullLogger.Instance) || files.Check(NullLogger.Instance);

        await Assert.That(reloaded).IsFalse();
        await Assert.That(_parses).IsEqualTo(1);
    }

    [Test]
    public async Task Check_BadContent_KeepsTheOldValueTriesItOnceAndRecovers()
    {
        var a = Write("a", "1");
        var b = Write("b", "10");
        using var files = new ReloadableFiles<string>("test value", [a, b], Parse);

        Write("b", "1x");
        var firstBad = files.Check(NullLogger.Instance);
        var againBad = files.Check(NullLogger.Instance);
        var parsesAfterBad = _parses;
        Write("b", "20");
        var good = files.Check(NullLogger.Instance);

        await Assert.That(firstBad).IsFalse();
        await Assert.That(againBad).IsFalse();
        await Assert.That(parsesAfterBad).IsEqualTo(2);
        await Assert.That(good).IsTrue();
        await Assert.That(files.Current).IsEqualTo("1+20");
    }

    [Test]
    public async Task Check_SymlinkSwappedToSameSizedFile_IsDetected()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "v1"));
        Directory.CreateDirectory(Path.Combine(_directory, "v2"));
        Write("v1/value", "3");
        Write("v2/value", "4");
        File.SetLastWriteTimeUtc(Path.Combine(_directory, "v2/value"), File.GetLastWriteTimeUtc(Path.Combine(_directory, "v1/value")));
        var link = Path.Combine(_directory, "value");
        File.CreateSymbolicLink(link, "v1/value");
        using var files = new ReloadableFiles<string>("test value", [link], Parse);

        File.Delete(link);
        File.CreateSymbolicLink(link, "v2/value");
        var reloaded = files.Check(NullLogger.Instance);

        await Assert.That(reloaded).IsTrue();
        await Assert.That(files.Current).IsEqualTo("4");
    }

    [Test]
    public async Task Check_FileMissingForAMoment_KeepsTheOldValue()
    {
        var path = Write("a", "1");
        using var files = new ReloadableFiles<string>("test value", [path], Parse);

        File.Delete(path);
        var reloaded = files.Check(NullLogger.Instance);

        await Assert.That(reloaded).IsFalse();
        await Assert.That(files.Current).IsEqualTo("1");
    }

    [Test]
    public async Task Check_WithAnnouncement_LogsItInsteadOfTheGenericLineOnlyWhenPublished()
    {
        var path = Write("a", "1");
        var announced = new List<string>();
        ReloadableFiles<string>? files = null;
        using var created = files = new ReloadableFiles<string>("test value", [path], Parse, _ => announced.Add(files!.Current));

        var unchanged = files.Check(NullLogger.Instance);
        Write("a", "oops");
        var rejected = files.Check(NullLogger.Instance);
        Write("a", "2");
        var published = files.Check(NullLogger.Instance);

        await Assert.That(new[] { unchanged, rejected, published }).IsEquivalentTo(new[] { false, false, true });
        // Announced once, after the new value is in place, so the line never names a value not yet served.
        await Assert.That(announced).IsEquivalentTo(new[] { "2" });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Parse(byte[][] files)
    {
        _parses++;
        var parts = new string[files.Length];
        for (var i = 0; i < files.Length; i++)
            parts[i] = int.Parse(Encoding.UTF8.GetString(files[i]), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return string.Join('+', parts);
    }
}
