namespace Enforcement.Media.Storage.Cases;

/// <summary>
/// What is wrong with one field of an input, named so a person can fix it: <paramref name="Field"/>
/// is a path such as <c>activities[2].endsAt</c>; <paramref name="Line"/> the CSV line when there is one.
/// Warnings do not stop an import; errors do.
/// </summary>
public sealed record InputProblem(string Field, string Message, bool IsError = true, int? Line = null)
{
    public override string ToString() => $"{(Line is { } line ? $"line {line}: " : string.Empty)}{Field}: {Message}";
}
