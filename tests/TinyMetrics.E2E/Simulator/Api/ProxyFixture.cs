using TinyMetrics.Simulator.Tests;
using TUnit.Core.Interfaces;

namespace TinyMetrics.Simulator.Api.Tests;

/// <summary>A fake metrics server and a simulator whose aggregation proxy points at it.</summary>
public sealed class ProxyFixture : IAsyncInitializer, IAsyncDisposable
{
    private FakeMetricsServer? _upstream;

    public SimulatorFixture Simulator { get; private set; } = new();

    public FakeMetricsServer Upstream => _upstream ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _upstream = await FakeMetricsServer.StartAsync();
        Simulator = new SimulatorFixture(_upstream.Uri);
        await Simulator.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        if (_upstream is not null)
            await _upstream.DisposeAsync();
    }
}
