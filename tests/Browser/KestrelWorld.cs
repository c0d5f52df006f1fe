using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Enforcement.Media.Tests.Browser;

/// <summary>
/// What a browser test over real footage runs in: a catalogue schema, a filesystem store and a work folder of
/// its own, the player on Kestrel over them (started once the media pipeline has filled them), and browser
/// contexts pointed at it. Disposes all of it.
/// </summary>
public sealed class KestrelWorld : IAsyncDisposable
{
    private KestrelPlayer? _player;

    public CatalogueFixture Catalogue { get; } = new();

    public TempFolder Store { get; } = new();

    public TempFolder Work { get; } = new();

    public KestrelPlayer Player => _player ?? throw new InvalidOperationException("Start the player first.");

    public ValueTask InitializeAsync() => Catalogue.InitializeAsync();

    /// <summary>A clip through the real media pipeline into this world's catalogue and store (<see cref="RealFootage"/>).</summary>
    public Task<ArchivedRecording> IngestAsync(string clip, Delivery delivery, bool thumbnails, CancellationToken cancellationToken) =>
        RealFootage.IngestAsync(Catalogue, Store.Path, Work.Combine("media-work"), clip, delivery, thumbnails, cancellationToken);

    /// <summary>Runs the worker's render job of a redaction or a publication copy the player queued (<see cref="RealFootage.RenderAsync"/>).</summary>
    public Task RenderAsync(string kind, Guid id, CancellationToken cancellationToken) =>
        RealFootage.RenderAsync(Catalogue, Store.Path, Work.Combine("media-work"), kind, id, cancellationToken);

    /// <summary>Runs the worker's face-suggestions job the player queued for the recording (<see cref="RealFootage.SuggestAsync"/>).</summary>
    public Task SuggestAsync(Guid recordingId, CancellationToken cancellationToken) =>
        RealFootage.SuggestAsync(Catalogue, Store.Path, Work.Combine("media-work"), recordingId, cancellationToken);

    public KestrelPlayer StartPlayer()
    {
        _player = new KestrelPlayer(Catalogue.Schema, Store.Path);
        _player.StartServer();
        return _player;
    }

    /// <summary>A fresh browser context (no cookies) on the player, at the size the screenshots are taken.</summary>
    public Task<IBrowserContext> NewContextAsync(IBrowser browser, string locale = "zh-CN") => Chromium.NewContextAsync(browser, Player.BaseAddress, locale);

    public async ValueTask DisposeAsync()
    {
        if (_player is not null)
        {
            await _player.DisposeAsync();
        }

        await Catalogue.DisposeAsync();
        Store.Dispose();
        Work.Dispose();
    }
}
