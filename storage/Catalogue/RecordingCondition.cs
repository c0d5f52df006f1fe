namespace Enforcement.Media.Storage.Catalogue;

/// <summary>
/// A condition on the recording aliased <c>r</c>, with the parameters it names, handed to a store by its
/// caller: how a query in storage applies a rule that lives elsewhere (the player's one visibility rule)
/// without a copy of it. <paramref name="Sql"/> is a constant of the caller's code, never text from a request;
/// <paramref name="Parameters"/> is an object whose properties are its parameters, as Dapper takes them.
/// </summary>
public sealed record RecordingCondition(string Sql, object Parameters);
