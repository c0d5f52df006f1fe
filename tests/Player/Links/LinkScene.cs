namespace Enforcement.Media.Tests.Player.Links;

/// <summary>What <see cref="LinkHarness.SceneAsync"/> made: the unit, the case, footage no link holds, and footage the linker linked.</summary>
public sealed record LinkScene(string Unit, string CaseNumber, Guid Footage, Guid Linked);
