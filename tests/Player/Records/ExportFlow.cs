using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Player.Records;

/// <summary>Drives the export API the way its users do: request, decide, wait for the package, download, unpack with the real unzip.</summary>
public static class ExportFlow
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static async Task<Guid> RequestAsync(HttpClient requester, IEnumerable<Guid> recordings, string reason = "移送法制审核 legal review of case 2026-001", string recipient = "市司法局 City Justice Bureau")
    {
        var response = await requester.PostAsJsonAsync("/api/v1/exports", new { recordings = recordings.Select(r => r.ToString()), reason, recipient }, Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Token));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> DecideAsync(HttpClient supervisor, Guid exportId, bool approve, string? reason = "依法批准 approved for the legal review") =>
        await supervisor.PostAsJsonAsync($"/api/v1/exports/{exportId}/{(approve ? "approve" : "deny")}", new { reason }, Token);

    public static async Task<string> StateAsync(HttpClient client, Guid exportId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{exportId}", Token)).GetProperty("state").GetString()!;

    /// <summary>Waits (bounded) until the player's worker has built or failed the package; returns the final state.</summary>
    public static async Task<JsonElement> SettledAsync(HttpClient client, Guid exportId)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var export = await client.GetFromJsonAsync<JsonElement>($"/api/v1/exports/{exportId}", Token);
            if (export.GetProperty("state").GetString() is "ready" or "failed")
            {
                return export;
            }

            await Task.Delay(100, Token);
        }

        throw new TimeoutException($"Export {exportId} was neither built nor failed within a minute.");
    }

    /// <summary>Requests, approves, waits and downloads; returns the package bytes.</summary>
    public static async Task<(Guid ExportId, byte[] Package)> ApprovedPackageAsync(HttpClient requester, HttpClient supervisor, IEnumerable<Guid> recordings)
    {
        var exportId = await RequestAsync(requester, recordings);
        var decided = await DecideAsync(supervisor, exportId, approve: true);
        Assert.True(decided.StatusCode == HttpStatusCode.NoContent, await decided.Content.ReadAsStringAsync(Token));
        var settled = await SettledAsync(requester, exportId);
        Assert.True(settled.GetProperty("state").GetString() == "ready", settled.ToString());
        var download = await requester.GetAsync($"/api/v1/exports/{exportId}/package", Token);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        return (exportId, await download.Content.ReadAsByteArrayAsync(Token));
    }

    /// <summary>Unpacks with Info-ZIP's unzip (what a recipient has), returning the package folder.</summary>
    public static async Task<string> UnzipAsync(byte[] package, TempFolder into, Guid exportId)
    {
        var zip = into.Combine("package.zip");
        await File.WriteAllBytesAsync(zip, package, Token);
        var (exit, output, error) = await ExternalCommand.RunAsync("unzip", ["-q", zip, "-d", into.Combine("unpacked")], null, into.Path, Token);
        Assert.True(exit == 0, $"unzip failed ({exit}): {output}{error}");
        return into.Combine("unpacked", $"export-{exportId}");
    }

    public static Task<(int ExitCode, string Output, string Error)> VerifyAsync(string folder) =>
        ExternalCommand.RunAsync("bash", [Path.Combine(folder, "verify.sh")], null, Path.GetTempPath(), Token);

    public static string[] EntryNames(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        return [.. zip.Entries.Select(e => e.FullName)];
    }
}
