namespace Enforcement.Media.Player.Links;

/// <summary>A recording a link may name: its own unit and its officer's registered unit (the footage's unit is the first, else the second).</summary>
public sealed record LinkableRecording(Guid Id, string? UnitCode, string? OfficerUnitCode)
{
    public string? FootageUnit => UnitCode ?? OfficerUnitCode;
}
