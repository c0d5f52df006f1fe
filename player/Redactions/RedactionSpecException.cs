using Enforcement.Media.Player.Refusals;
using Enforcement.Media.Storage.Cases;

namespace Enforcement.Media.Player.Redactions;

/// <summary>A spec refused for what is wrong with it, every field named (the first also as the refusal's field).</summary>
public sealed class RedactionSpecException(IReadOnlyList<InputProblem> problems)
    : RefusedException(Refusal.Invalid, problems.Count == 1 ? problems[0].ToString() : $"{problems.Count} problems with the redaction, the first: {problems[0]}", problems[0].Field)
{
    public IReadOnlyList<InputProblem> Problems { get; } = problems;

    public override IReadOnlyDictionary<string, string[]> Errors { get; } =
        problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
}
