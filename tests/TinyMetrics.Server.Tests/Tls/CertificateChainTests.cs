using System.Diagnostics;
using TinyMetrics.Security.Tests;

namespace TinyMetrics.Tls.Tests;

/// <summary>A serving certificate file with its intermediate appended (as cert-manager writes tls.crt) is served whole.</summary>
[NotInParallel("in-process-server")]
public sealed class CertificateChainTests
{
    [Test]
    public async Task Handshake_CertificateFileWithIntermediate_SendsLeafAndIntermediate()
    {
        await using var server = await TlsServer.StartAsync();
        var certs = server.Certificates;
        CreateIntermediate(certs, "intermediate", "serving-ca");
        certs.CreateLeaf("chained", "intermediate", "tinymetrics-chained", "serverAuth", subjectAltName: "IP:127.0.0.1");
        await File.WriteAllTextAsync(certs.PathOf("chained-bundle.crt"),
            await File.ReadAllTextAsync(certs.PathOf("chained.crt")) + await File.ReadAllTextAsync(certs.PathOf("intermediate.crt")));
        File.Copy(certs.PathOf("chained.key"), certs.PathOf("chained-bundle.key"));
        server.Mount("chained-bundle");

        string subjects = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !subjects.Contains("tinymetrics-chained", StringComparison.Ordinal))
        {
            await Task.Delay(200);
            subjects = OpenSsl("s_client", "-connect", $"127.0.0.1:{server.Port}", "-showcerts");
        }

        await Assert.That(subjects).Contains("0 s:CN = tinymetrics-chained");
        await Assert.That(subjects).Contains("1 s:CN = intermediate");
    }

    private static void CreateIntermediate(OpenSslCertificates certs, string name, string ca)
    {
        File.WriteAllText(certs.PathOf(name + ".ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,digitalSignature\n");
        OpenSsl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", $"/CN={name}",
            "-keyout", certs.PathOf(name + ".key"), "-out", certs.PathOf(name + ".csr"));
        OpenSsl("x509", "-req", "-in", certs.PathOf(name + ".csr"), "-CA", certs.PathOf(ca + ".crt"), "-CAkey", certs.PathOf(ca + ".key"),
            "-CAcreateserial", "-days", "2", "-extfile", certs.PathOf(name + ".ext"), "-out", certs.PathOf(name + ".crt"));
    }

    private static string OpenSsl(params string[] args)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(15_000))
        {
            process.Kill();
            throw new TimeoutException("openssl " + args[0]);
        }
        _ = stderr.Result;
        return output;
    }
}
