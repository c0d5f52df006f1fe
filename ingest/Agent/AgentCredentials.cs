namespace Enforcement.Media.Ingest.Agent;

/// <summary>The station's API key, read once at start-up. Never logged.</summary>
public sealed record AgentCredentials(string Key)
{
    public override string ToString() => "AgentCredentials { Key = *** }";
}
