using System.Globalization;

namespace Enforcement.Media.Tests.Ingest.KillTest;

/// <summary>
/// The kill test's randomness, all from one seed: sizes, contents, where and when each SIGKILL
/// lands. Set <c>EM_KILL_SEED</c> to replay a run; a failure names the seed and the kills made.
/// </summary>
public sealed class KillSchedule
{
    public const string SeedVariable = "EM_KILL_SEED";

    private readonly List<string> _kills = [];

    public KillSchedule()
    {
        Seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        Random = new Random(Seed);
    }

    public int Seed { get; }

    public Random Random { get; }

    public IReadOnlyList<string> Kills => _kills;

    public T Pick<T>(IReadOnlyList<T> choices) => choices[Random.Next(choices.Count)];

    public TimeSpan Delay(double maxSeconds) => TimeSpan.FromSeconds(Random.NextDouble() * maxSeconds);

    public void Record(string kill) => _kills.Add(kill);

    /// <summary>How to replay this run, and what it did.</summary>
    public string Describe() =>
        $"replay with {SeedVariable}={Seed}; kills: {(_kills.Count == 0 ? "none" : string.Join("; ", _kills))}";
}
