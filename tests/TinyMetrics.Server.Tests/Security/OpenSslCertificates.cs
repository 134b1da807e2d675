using System.Diagnostics;

namespace TinyMetrics.Security.Tests;

/// <summary>
/// Real certificates made by the openssl command line, as an operator would make them: a CA and
/// leaf certificates signed by it, written as PEM files into a temporary folder.
/// </summary>
public sealed class OpenSslCertificates : IDisposable
{
    public OpenSslCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("tinymetrics-openssl-").FullName;
    }

    public string Directory { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>Creates NAME.crt/NAME.key, a self-signed CA.</summary>
    public void CreateCa(string name, int days = 2)
    {
        Run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-subj", $"/CN={name}", "-keyout", PathOf(name + ".key"), "-out", PathOf(name + ".crt"),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,digitalSignature");
    }

    /// <summary>Creates NAME.crt/NAME.key, an intermediate CA signed by CA (leaf → NAME → CA chains).</summary>
    public void CreateIntermediate(string name, string ca)
    {
        var ext = PathOf(name + ".ext");
        File.WriteAllText(ext, "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,digitalSignature\n");
        Run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", $"/CN={name}",
            "-keyout", PathOf(name + ".key"), "-out", PathOf(name + ".csr"));
        Run("x509", "-req", "-in", PathOf(name + ".csr"), "-CA", PathOf(ca + ".crt"), "-CAkey", PathOf(ca + ".key"),
            "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", PathOf(name + ".crt"));
    }

    /// <summary>Creates NAME.crt/NAME.key signed by CA, for client (and optionally server) authentication.</summary>
    public void CreateLeaf(string name, string ca, string commonName, string extendedKeyUsage = "clientAuth", int days = 2, string? subjectAltName = null,
        string organization = "system:masters")
    {
        var ext = PathOf(name + ".ext");
        File.WriteAllText(ext, $"basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage={extendedKeyUsage}\n"
            + (subjectAltName is null ? "" : $"subjectAltName={subjectAltName}\n"));
        Run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", $"/CN={commonName}/O={organization}",
            "-keyout", PathOf(name + ".key"), "-out", PathOf(name + ".csr"));
        Run("x509", "-req", "-in", PathOf(name + ".csr"), "-CA", PathOf(ca + ".crt"), "-CAkey", PathOf(ca + ".key"),
            "-CAcreateserial", "-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture), "-extfile", ext, "-out", PathOf(name + ".crt"));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static void Run(params string[] args)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException("openssl " + string.Join(' ', args));
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {stderr.Result}");
    }
}
