namespace Enforcement.Media.Storage.Cases;

/// <summary>Flags that make footage permanent (公安机关现场执法视音频记录工作规定 (2016) §13).</summary>
public static class CaseFlags
{
    /// <summary>Someone obstructed enforcement (阻碍执法).</summary>
    public const string Obstruction = "obstruction";

    /// <summary>A major incident (重大事件).</summary>
    public const string MajorIncident = "major_incident";

    public static readonly IReadOnlyList<string> All = [Obstruction, MajorIncident];
}
