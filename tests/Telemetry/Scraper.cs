using Enforcement.Media.Storage.Telemetry;
using Enforcement.Media.Tests.Infrastructure;

namespace Enforcement.Media.Tests.Telemetry;

/// <summary>Scrapes an app's Prometheus listener over HTTP, as Prometheus would.</summary>
public sealed class Scraper(PrometheusListener listener)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public Uri Endpoint => new(listener.Address ?? throw new InvalidOperationException("The scrape listener has not started."), PrometheusListener.Path);

    public Task<PrometheusText> ScrapeAsync() => PrometheusText.ScrapeAsync(Endpoint, Token);

    /// <summary>
    /// Scrapes until <paramref name="done"/> holds (20 s at most) and returns that scrape: some counts are
    /// taken just after the client has its answer, or by a job after it.
    /// </summary>
    public async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> done)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (20 * TimeProvider.System.TimestampFrequency);
        var scrape = await ScrapeAsync();
        while (!done(scrape) && TimeProvider.System.GetTimestamp() < deadline)
        {
            await Task.Delay(100, Token);
            scrape = await ScrapeAsync();
        }

        return scrape;
    }

    /// <summary>How far the samples of <paramref name="name"/> with these labels moved between two scrapes.</summary>
    public static double Moved(PrometheusText before, PrometheusText after, string name, params (string Label, string Value)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}
