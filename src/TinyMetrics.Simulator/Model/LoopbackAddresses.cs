using System.Buffers.Binary;
using System.Net;

namespace TinyMetrics.Simulator.Model;

/// <summary>Node addresses: consecutive IPv4 loopback addresses, skipping host bytes .0 and .255; or ::1 for all (IPv6 has one loopback address).</summary>
public static class LoopbackAddresses
{
    /// <summary>The first <paramref name="count"/> usable addresses from <paramref name="first"/> (inclusive).</summary>
    public static IPAddress[] Sequence(IPAddress first, int count)
    {
        if (first.Equals(IPAddress.IPv6Loopback))
        {
            var shared = new IPAddress[count];
            Array.Fill(shared, first);
            return shared;
        }
        var value = BinaryPrimitives.ReadUInt32BigEndian(first.GetAddressBytes());
        var result = new IPAddress[count];
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < count; i++)
        {
            while ((value & 0xFF) is 0 or 255)
                value++;
            if (value >> 24 != 127)
                throw new ArgumentException($"{count} addresses from {first} leave 127.0.0.0/8");
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            result[i] = new IPAddress(bytes);
            value++;
        }
        return result;
    }
}
