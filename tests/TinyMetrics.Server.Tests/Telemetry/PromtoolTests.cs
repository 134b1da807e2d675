using System.Diagnostics;
using System.Net;
using TinyMetrics.Tests;

namespace TinyMetrics.Telemetry.Tests;

/// <summary>Prometheus' own checker on our exposition, after requests filled every labelled family.</summary>
public class PromtoolTests
{
    [Test]
    public async Task Exposition_AfterRequests_PassesPromtoolCheckMetrics()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client("proxy");
        foreach (var path in new[] { "/apis/metrics.k8s.io/v1beta1/nodes", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/p", "/healthz" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Remote-User", "reader");
            using var response = await client.SendAsync(request);
            await Assert.That(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden).IsFalse();
        }
        var exposition = string.Join('\n', await ApiServerMetricsTests.MetricsAsync(client));
        await Assert.That(exposition).Contains("apiserver_request_total{");
        await Assert.That(exposition).Contains("rest_client_requests_total{");

        var (code, output) = await PromtoolAsync(exposition);

        await Assert.That(output).IsEmpty();
        await Assert.That(code).IsEqualTo(0);
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(string exposition)
    {
        var info = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("promtool is required (make deps-prometheus: the Debian package prometheus)", ex);
        }
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(exposition);
            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
            }
            return (process.ExitCode, (await stdout + await stderr).Trim());
        }
    }
}
