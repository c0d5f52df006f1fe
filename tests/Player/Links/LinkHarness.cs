using System.Net.Http.Json;
using System.Text.Json;
using Enforcement.Media.Storage.Cases;
using Enforcement.Media.Tests.Infrastructure;
using Enforcement.Media.Tests.Player.Pages;
using Enforcement.Media.Tests.Player.Records;

namespace Enforcement.Media.Tests.Player.Links;

/// <summary>A case with footage to link by hand in a <see cref="PlayerApp"/>, and the links API as a client calls it.</summary>
public sealed class LinkHarness(PlayerApp app)
{
    private readonly ReviewWorld _world = new(app);

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public RecordsHarness Records => _world.Records;

    /// <summary>
    /// A unit with an open case whose seizure (recorded in full) runs 09:00–09:10: footage of an officer the
    /// case does not name covers it (so only a person can link it), and footage of the named officer was
    /// linked automatically.
    /// </summary>
    public async Task<LinkScene> SceneAsync()
    {
        var morning = ReviewWorld.Morning;
        var unit = await _world.Records.UnitAsync();
        var named = ReviewWorld.Officer();
        var caseNumber = await _world.CaseAsync(unit, ReviewWorld.NewCaseNumber("LNK"), morning.AddDays(-1), new ActivityInput("SEIZE", "investigation", "seizure", morning, morning.AddMinutes(10), "现场", [named]));
        var footage = await _world.FootageAsync(unit, ReviewWorld.Officer(), $"D{Random.Shared.Next(100000, 999999)}", morning, 600, $"unnamed-officer-{Guid.NewGuid():N}.mp4");
        var linked = await _world.FootageAsync(unit, named, $"D{Random.Shared.Next(100000, 999999)}", morning.AddMinutes(1), 60);
        return new LinkScene(unit, caseNumber, footage, linked);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid recordingId, object body) =>
        client.PostAsJsonAsync($"/api/v1/recordings/{recordingId}/links", body, Token);

    public static Task<HttpResponseMessage> DeleteAsync(HttpClient client, Guid recordingId, Guid linkId, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/recordings/{recordingId}/links/{linkId}") { Content = JsonContent.Create(body) }, Token);

    public static async Task<List<JsonElement>> LinksAsync(HttpClient client, Guid recordingId) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/api/v1/recordings/{recordingId}/links", Token)).GetProperty("items").EnumerateArray()];
}
