using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Platform;

/// <summary>
/// The cross-compiled linux-arm64 binary, emulated by qemu-user on this x64 machine, serves the simulated cluster:
/// the real kubectl shows the simulator's exact values.
/// </summary>
[ClassDataSource<Arm64Cluster>(Shared = SharedType.PerClass)]
[NotInParallel(ClusterLanes.Platform)]
public sealed class Arm64QemuTests(Arm64Cluster cluster)
{
    // ELF header: e_machine (offset 18, little-endian) is 183 for AArch64.
    private const ushort ElfMachineAarch64 = 183;

    [Test]
    public async Task Arm64Binary_IsAnAarch64Executable()
    {
        var header = new byte[20];
        await using (var file = File.OpenRead(Infrastructure.Artifacts.Arm64ServerBinary))
            await file.ReadExactlyAsync(header);

        await Assert.That(header[..4]).IsEquivalentTo(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' });
        await Assert.That(BitConverter.ToUInt16(header, 18)).IsEqualTo(ElfMachineAarch64);
    }

    [Test]
    public Task TopNodes_Arm64UnderQemu_MatchesSimulatorExactly() => TopExpectations.NodesMatchAsync(cluster);

    [Test]
    public Task TopPodsAllNamespaces_Arm64UnderQemu_MatchesSimulatorExactly() => TopExpectations.PodsMatchAsync(cluster);
}
